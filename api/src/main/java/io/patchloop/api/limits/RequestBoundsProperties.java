package io.patchloop.api.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How big a request body the API reads: {@code maxBodySize} for every request under {@code /api/},
 * {@code maxImportSize} for the host import ({@code POST /api/v1/hosts/import}, CSV or JSON), whose
 * 5000 rows need more. The console's file uploads take {@code maxImportSize} too. Sizes as Spring
 * writes them: {@code 1MB} is 1 MiB, a bare number is bytes.
 */
@ConfigurationProperties("patchloop.api")
public record RequestBoundsProperties(DataSize maxBodySize, DataSize maxImportSize) {

  public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofMegabytes(1);
  public static final DataSize DEFAULT_MAX_IMPORT_SIZE = DataSize.ofMegabytes(10);

  public RequestBoundsProperties {
    maxBodySize = maxBodySize == null ? DEFAULT_MAX_BODY_SIZE : maxBodySize;
    maxImportSize = maxImportSize == null ? DEFAULT_MAX_IMPORT_SIZE : maxImportSize;
    if (maxBodySize.toBytes() < 1024 || maxImportSize.toBytes() < 1024) {
      throw new IllegalArgumentException("patchloop.api.max-body-size and max-import-size must be at least 1KB");
    }
  }

  /** The larger of the two: no JSON document the API reads can be longer. */
  long largestBody() {
    return Math.max(maxBodySize.toBytes(), maxImportSize.toBytes());
  }
}
