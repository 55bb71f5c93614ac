package io.patchloop.common;

import io.patchloop.workflows.host.ActivityPayloads;
import io.temporal.common.converter.DataConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data converter the Temporal starter gives every client and worker of the API, the workers and
 * the standalone platform: the same as the agent's ({@link ActivityPayloads#converter}), so a large
 * payload one process gzips the others read.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalPayloads {

  /** The starter uses the one DataConverter bean there is, or the one of this name. */
  @Bean
  public DataConverter mainDataConverter() {
    return ActivityPayloads.converter();
  }
}
