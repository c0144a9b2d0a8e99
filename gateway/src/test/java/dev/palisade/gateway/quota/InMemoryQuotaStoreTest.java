package dev.palisade.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryQuotaStoreTest {

  final Clock clock = Clock.fixed(Instant.parse("2026-03-10T12:30:15Z"), ZoneOffset.UTC);
  final InMemoryQuotaStore store = new InMemoryQuotaStore(clock);

  QuotaStore.Decision reserve(String c, Limits l, long tokens) {
    return store.reserve(c, l, tokens).result();
  }

  @Test
  void concurrentReservationsNeverExceedTheLimit() throws Exception {
    Limits limits = new Limits(10_000, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<QuotaStore.Decision>> results = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      results.add(pool.submit(() -> {
        go.await();
        return reserve("c", limits, 30);
      }));
    }
    go.countDown();
    int granted = 0;
    for (Future<QuotaStore.Decision> f : results) {
      if (f.get() instanceof QuotaStore.Reservation) {
        granted++;
      }
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(10_000 / 30, granted, "exactly as many as fit");
  }

  @Test
  void settlingReplacesTheReservationWithTheRealUsage() {
    Limits limits = new Limits(100, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED);
    QuotaStore.Reservation r = (QuotaStore.Reservation) reserve("c", limits, 80);
    assertInstanceOf(QuotaStore.Denied.class, reserve("c", limits, 30), "80 reserved + 30 > 100");
    store.settle(r, 20);
    assertEquals(new QuotaStore.Usage(20, 0, 20), store.usage("c").result());
    assertInstanceOf(QuotaStore.Reservation.class, reserve("c", limits, 30));
  }

  @Test
  void eachLimitRefusesWithItsNameAndWhenItResets() {
    Limits oneRequestPerMinute = new Limits(Limits.UNLIMITED, Limits.UNLIMITED, 1, Limits.UNLIMITED);
    assertInstanceOf(QuotaStore.Reservation.class, reserve("a", oneRequestPerMinute, 1));
    QuotaStore.Denied rpm = (QuotaStore.Denied) reserve("a", oneRequestPerMinute, 1);
    assertEquals("requests_per_minute", rpm.limit());
    assertEquals(45, rpm.retryAfterSeconds());
    QuotaStore.Denied tpm = (QuotaStore.Denied) reserve("b", new Limits(Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED, 10), 11);
    assertEquals("tokens_per_minute", tpm.limit());
    QuotaStore.Denied day = (QuotaStore.Denied) reserve("c", new Limits(10, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED), 11);
    assertEquals("tokens_per_day", day.limit());
    assertEquals(11 * 3600 + 29 * 60 + 45, day.retryAfterSeconds());
    QuotaStore.Denied month = (QuotaStore.Denied) reserve("d", new Limits(Limits.UNLIMITED, 10, Limits.UNLIMITED, Limits.UNLIMITED), 11);
    assertEquals("tokens_per_month", month.limit());
  }
}
