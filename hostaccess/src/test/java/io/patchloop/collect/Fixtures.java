package io.patchloop.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real command output captured from the lab fleet (infra/testhosts/capture-fixtures). */
final class Fixtures {

  static final Path DIR = Path.of("..", "infra", "testhosts", "fixtures");

  private Fixtures() {}

  static String read(String relative) {
    try {
      return Files.readString(DIR.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
