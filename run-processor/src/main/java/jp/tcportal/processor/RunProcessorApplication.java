package jp.tcportal.processor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Consumes reported runs from Kafka and keeps the monitor tables in PostgreSQL. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RunProcessorApplication {

  public static void main(String[] args) {
    SpringApplication.run(RunProcessorApplication.class, args);
  }
}
