package io.patchloop.workflows.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.converter.DefaultDataConverter;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large payloads gzipped into the history; small ones, and those of older releases, read as they were. */
class GzipPayloadCodecTest {

  @Test
  void readsWhatItWroteAndWhatWasWrittenWithoutIt() {
    var converter = ActivityPayloads.converter();
    String large = String.join(",", Collections.nCopies(20_000, "kernel-core-5.10.0-182.0.0.95.hce2.x86_64"));
    var written = converter.toPayload(large).orElseThrow();
    assertThat(written.getMetadataMap().get("encoding").toStringUtf8()).isEqualTo(GzipPayloadCodec.ENCODING);
    assertThat(written.getSerializedSize()).isLessThan(large.length() / 10);
    assertThat(ActivityPayloads.sizeOf(large)).isEqualTo(written.getSerializedSize());
    assertThat(converter.fromPayload(written, String.class, String.class)).isEqualTo(large);

    var small = converter.toPayload("lab01").orElseThrow();
    assertThat(small.getMetadataMap().get("encoding").toStringUtf8()).isEqualTo("json/plain");

    // the recorded histories of older releases: plain JSON, however large
    var older = DefaultDataConverter.newDefaultInstance().toPayload(large).orElseThrow();
    assertThat(new GzipPayloadCodec().decode(List.of(older))).containsExactly(older);
    assertThat(converter.fromPayload(older, String.class, String.class)).isEqualTo(large);
  }

  /** An agent runs on the host it reports on: a small payload that inflates to gigabytes is refused, not inflated. */
  @Test
  void aPayloadThatInflatesPastItsBoundIsRefused() throws Exception {
    var zeros = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(zeros)) {
      byte[] block = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gzip.write(block);
      }
    }
    var bomb = io.temporal.api.common.v1.Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8(GzipPayloadCodec.ENCODING))
        .setData(com.google.protobuf.ByteString.copyFrom(zeros.toByteArray())).build();
    assertThat(zeros.size()).isLessThan(128 * 1024);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GzipPayloadCodec().decode(List.of(bomb)))
        .isInstanceOf(io.temporal.payload.codec.PayloadCodecException.class).hasMessageContaining("inflates past 16 MiB");
  }
}
