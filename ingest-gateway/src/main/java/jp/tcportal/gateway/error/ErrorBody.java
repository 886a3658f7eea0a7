package jp.tcportal.gateway.error;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The spec's error shape, {@code {"error": "..."}}, for every answer that is not a success. */
public record ErrorBody(@JsonProperty("error") String error) {}
