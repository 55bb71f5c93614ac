package io.patchloop.workflows.host;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;

/**
 * The size bound of what a host step hands to the workflow. Every activity result and argument is
 * written into the workflow's history; Temporal refuses a payload over 2 MB by default
 * ({@code limit.blobSize.error}) and fails the workflow task, and a history over 50 MB ends the
 * workflow. A host step therefore stays well below: a larger result fails the host with
 * {@link HostErrorKind#INVENTORY_TOO_LARGE} instead of failing the batch.
 */
public final class ActivityPayloads {

  /**
   * 256 KiB as written (gzipped): an eighth of the blob limit, and small enough that the batch, which continues as new
   * when Temporal suggests it (by history size), carries many hosts per run.
   */
  public static final int MAX_BYTES = 256 * 1024;

  private static final DataConverter CONVERTER = converter();

  private ActivityPayloads() {}

  /**
   * The data converter of every Patchloop process that talks to Temporal (workers, API, agent):
   * Temporal's JSON, with large payloads gzipped ({@link GzipPayloadCodec}).
   */
  public static DataConverter converter() {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(new GzipPayloadCodec()));
  }

  /** The size of {@code value} as it is written into the history (JSON, gzipped when large). */
  public static int sizeOf(Object value) {
    return CONVERTER.toPayload(value).map(p -> p.getSerializedSize()).orElse(0);
  }
}
