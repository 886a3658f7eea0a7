package jp.tcportal.incidents.account;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** How local passwords are hashed. */
@Configuration(proxyBeanMethods = false)
class PasswordConfiguration {

  @Bean
  PasswordEncoder passwordEncoder() {
    // bcrypt, with the {id} prefix so the algorithm can be upgraded later without a migration.
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }
}
