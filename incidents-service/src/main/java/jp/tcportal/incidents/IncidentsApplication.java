package jp.tcportal.incidents;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** The incidents service: the read side of TC Portal Monitor (dashboard, badge, JSON API). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IncidentsApplication {

  public static void main(String[] args) {
    SpringApplication.run(IncidentsApplication.class, args);
  }

  /** The one clock for session lifetimes, login throttling and relative times (tests move it). */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
