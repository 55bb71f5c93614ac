package io.patchloop.advisories;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.rpm.Evr;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A parsed updateinfo file as stored bytes: a small binary form, gzipped. A real repository's file
 * holds tens of thousands of package entries; JSON of it would be several times larger and slower
 * to read back on every worker. The first byte is the format version, so a later release can read
 * what an earlier one stored, or skip it and fetch the file from a host again.
 */
public final class UpdateInfoCodec {

  static final int FORMAT = 1;
  /** Far above any real title, far below what one stored string may hold (64 KiB of UTF-8). */
  static final int MAX_TITLE = io.patchloop.inventory.HostDataLimits.MAX_TITLE;

  private UpdateInfoCodec() {}

  public static byte[] encode(UpdateInfoFile file) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 1 << 16))) {
      out.writeByte(FORMAT);
      out.writeInt(file.dropped());
      out.writeInt(file.advisories().size());
      for (Advisory a : file.advisories()) {
        out.writeUTF(a.id());
        // a title is free text from the repository; the rest was checked against strict patterns
        out.writeUTF(a.title().length() > MAX_TITLE ? a.title().substring(0, MAX_TITLE) : a.title());
        out.writeUTF(a.type());
        out.writeUTF(a.category() == null ? "" : a.category().name());
        out.writeUTF(a.severity().name());
        out.writeLong(a.issued() == null ? Long.MIN_VALUE : a.issued().getEpochSecond());
        out.writeBoolean(a.rebootSuggested());
        out.writeInt(a.cves().size());
        for (String cve : a.cves()) {
          out.writeUTF(cve);
        }
        out.writeInt(a.packages().size());
        for (AdvisoryPackage p : a.packages()) {
          out.writeUTF(p.name());
          out.writeLong(p.evr().epoch());
          out.writeUTF(p.evr().version());
          out.writeUTF(p.evr().release());
          out.writeUTF(p.arch());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // into memory
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when the bytes are not a file this release can read */
  public static UpdateInfoFile decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(stored), 1 << 16))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("stored in format " + format + ", this release reads " + FORMAT);
      }
      int dropped = in.readInt();
      int count = in.readInt();
      List<Advisory> advisories = new ArrayList<>(Math.min(count, 1 << 16));
      for (int i = 0; i < count; i++) {
        String id = in.readUTF();
        String title = in.readUTF();
        String type = in.readUTF();
        String category = in.readUTF();
        PatchSeverity severity = PatchSeverity.valueOf(in.readUTF());
        long issued = in.readLong();
        boolean reboot = in.readBoolean();
        int cveCount = in.readInt();
        List<String> cves = new ArrayList<>(Math.min(cveCount, 1024));
        for (int c = 0; c < cveCount; c++) {
          cves.add(in.readUTF());
        }
        int packageCount = in.readInt();
        List<AdvisoryPackage> packages = new ArrayList<>(Math.min(packageCount, 1024));
        for (int p = 0; p < packageCount; p++) {
          String name = in.readUTF();
          long epoch = in.readLong();
          String version = in.readUTF();
          String release = in.readUTF();
          packages.add(new AdvisoryPackage(name, new Evr(epoch, version, release), in.readUTF()));
        }
        advisories.add(new Advisory(id, title, type, category.isEmpty() ? null : PatchCategory.valueOf(category), severity,
            issued == Long.MIN_VALUE ? null : Instant.ofEpochSecond(issued), packages, cves, reboot));
      }
      return new UpdateInfoFile(advisories, dropped);
    } catch (IOException e) {
      throw new IllegalArgumentException("stored advisories cannot be read: " + e.getMessage(), e);
    }
  }
}
