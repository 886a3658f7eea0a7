package jp.tcportal.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the gateway (port 8080 unless configured). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestGatewayApplication {

  public static void main(String[] args) {
    SpringApplication.run(IngestGatewayApplication.class, args);
  }
}
