package jp.tcportal.notifier.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.tcportal.schema.event.EventJson;

/**
 * Compares rendered messages with the files under {@code src/test/resources/golden/}. Run with
 * {@code -Dgolden.update=true} to rewrite them after an intended change, then review the diff.
 */
public final class Golden {

  private static final Path DIR = Path.of("src/test/resources/golden");

  private Golden() {}

  public static void assertJson(String name, String actualJson) {
    String pretty =
        EventJson.mapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(EventJson.mapper().readTree(actualJson))
            + "\n";
    assertText(name, pretty);
    assertThat(EventJson.mapper().readTree(actualJson))
        .isEqualTo(EventJson.mapper().readTree(read(name)));
  }

  public static void assertText(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(DIR);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(file)
        .as("golden file %s (write it with -Dgolden.update=true and review it)", name)
        .exists();
    assertThat(actual).as("golden file %s", name).isEqualTo(read(name));
  }

  private static String read(String name) {
    try {
      return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
