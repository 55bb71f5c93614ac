package io.patchloop.advisories;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The fleet's parsed updateinfo files in MariaDB: what one worker stores, another (a fresh store
 * on the same database, nothing in memory) reads back equal, whatever its size; a second store of
 * the same checksum changes nothing.
 */
@SpringBootTest(classes = StoreTestApplication.class)
class UpdateInfoFileStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "updateinfofiles");
  }

  @Autowired UpdateInfoFileStore store;
  @Autowired JdbcClient jdbc;
  @Autowired java.time.Clock clock;

  static UpdateInfoFile file(int advisories, long seed) {
    Random random = new Random(seed);
    List<Advisory> list = new ArrayList<>();
    for (int i = 0; i < advisories; i++) {
      List<AdvisoryPackage> packages = new ArrayList<>();
      for (int p = 0; p < 1 + random.nextInt(6); p++) {
        packages.add(new AdvisoryPackage("pkg-" + random.nextInt(5000), new Evr(random.nextInt(3), "1." + random.nextInt(99),
            random.nextInt(40) + ".oe2203sp" + random.nextInt(4)), random.nextBoolean() ? "x86_64" : "noarch"));
      }
      boolean dated = random.nextInt(10) > 0;
      StringBuilder title = new StringBuilder("Security update ");
      for (int w = 0; w < 12; w++) {
        title.append(Long.toHexString(random.nextLong()));
      }
      list.add(new Advisory("openEuler-SA-2026-" + i, title.toString(),
          i % 7 == 0 ? "weird" : "security", i % 7 == 0 ? null : PatchCategory.values()[i % PatchCategory.values().length],
          PatchSeverity.values()[i % PatchSeverity.values().length],
          dated ? Instant.ofEpochSecond(1_700_000_000L + random.nextInt(50_000_000)) : null, packages,
          List.of("CVE-2026-" + (1000 + i)), random.nextBoolean()));
    }
    return new UpdateInfoFile(list, advisories % 3);
  }

  @Test
  void aFileStoredByOneWorkerIsReadBackEqualByAnother() {
    UpdateInfoFile small = file(40, 1);
    store.save("sha256:" + "a".repeat(64), "repository lab-demo of a test", small);
    UpdateInfoFileStore otherWorker = new UpdateInfoFileStore(jdbc, clock, 1_000_000);
    assertThat(otherWorker.find("sha256:" + "a".repeat(64))).contains(small);
    assertThat(otherWorker.find("sha256:" + "b".repeat(64))).isEmpty();
  }

  @Test
  void aFileLargerThanOneChunkIsStoredInPiecesAndReadBackWhole() {
    // random titles and versions do not compress much: well above the 4 MiB chunk
    UpdateInfoFile large = file(60_000, 2);
    String checksum = "sha512:" + "c".repeat(128);
    store.save(checksum, "repository big", large);
    int chunks = jdbc.sql("SELECT COUNT(*) FROM updateinfo_file_chunks WHERE checksum = ?").param(checksum)
        .query(Integer.class).single();
    assertThat(chunks).isGreaterThan(1);
    assertThat(new UpdateInfoFileStore(jdbc, clock, 1).find(checksum)).contains(large);
  }

  @Test
  void storingTheSameChecksumTwiceKeepsTheFirst() {
    String checksum = "sha256:" + "d".repeat(64);
    store.save(checksum, "first", file(5, 3));
    new UpdateInfoFileStore(jdbc, clock, 1000).save(checksum, "second", file(5, 3));
    assertThat(jdbc.sql("SELECT source FROM updateinfo_files WHERE checksum = ?").param(checksum).query(String.class)
        .single()).isEqualTo("first");
  }

  @Test
  void anUnreadableStoredFileIsForgottenSoAHostSendsItAgain() {
    String checksum = "sha256:" + "e".repeat(64);
    store.save(checksum, "to be damaged", file(3, 4));
    jdbc.sql("UPDATE updateinfo_file_chunks SET content = ? WHERE checksum = ?").params(new byte[] {1, 2, 3}, checksum)
        .update();
    assertThat(new UpdateInfoFileStore(jdbc, clock, 1000).find(checksum)).isEmpty();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM updateinfo_files WHERE checksum = ?").param(checksum).query(Integer.class)
        .single()).isZero();
  }
}
