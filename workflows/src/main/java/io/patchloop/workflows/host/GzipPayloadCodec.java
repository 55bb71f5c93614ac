package io.patchloop.workflows.host;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses the large payloads (a host's inventory: repetitive JSON, about a tenth gzipped) as they
 * go into a workflow history, and decompresses them coming out. Small payloads and payloads written
 * without it (the recorded histories of older releases) pass through unchanged, so it reads both.
 */
public final class GzipPayloadCodec implements PayloadCodec {

  static final String ENCODING = "binary/gzip";
  private static final String METADATA_ENCODING = "encoding";
  /** Below this, compressing saves too little to be worth an unreadable payload in the Temporal UI. */
  static final int MIN_BYTES = 16 * 1024;
  /**
   * Far above any payload Patchloop writes (a host step's result is refused over 256 KiB before
   * compression), so a payload that inflates past it is not ours: an agent runs on the host it
   * reports on, and a small gzip bomb must not take a worker's heap.
   */
  static final int MAX_DECODED_BYTES = 16 * 1024 * 1024;

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(GzipPayloadCodec::encode).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(GzipPayloadCodec::decode).toList();
  }

  private static Payload encode(Payload payload) {
    if (payload.getSerializedSize() < MIN_BYTES) {
      return payload;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.getSerializedSize() / 6);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      payload.writeTo(gzip);
    } catch (IOException e) {
      throw new PayloadCodecException(e); // not from memory
    }
    return Payload.newBuilder()
        .putMetadata(METADATA_ENCODING, ByteString.copyFromUtf8(ENCODING))
        .setData(ByteString.copyFrom(out.toByteArray()))
        .build();
  }

  private static Payload decode(Payload payload) {
    ByteString encoding = payload.getMetadataMap().get(METADATA_ENCODING);
    if (encoding == null || !encoding.toStringUtf8().equals(ENCODING)) {
      return payload;
    }
    try (InputStream in = new GZIPInputStream(payload.getData().newInput())) {
      byte[] decoded = in.readNBytes(MAX_DECODED_BYTES + 1);
      if (decoded.length > MAX_DECODED_BYTES) {
        throw new PayloadCodecException("a gzipped payload inflates past " + MAX_DECODED_BYTES / (1024 * 1024)
            + " MiB; refused");
      }
      return Payload.parseFrom(decoded);
    } catch (IOException e) {
      throw new PayloadCodecException(e);
    }
  }
}
