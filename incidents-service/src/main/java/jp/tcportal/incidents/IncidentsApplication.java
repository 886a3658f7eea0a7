package jp.tcportal.incidents;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The incidents service: the read side of TC Portal Monitor (dashboard, badge, JSON API). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IncidentsApplication {

  public static void main(String[] args) {
    SpringApplication.run(IncidentsApplication.class, args);
  }
}
