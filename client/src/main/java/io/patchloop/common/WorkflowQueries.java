package io.patchloop.common;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workflow queries with a deadline. A query waits for a worker that holds the workflow; the API
 * must not hang while workers restart, so it answers without the live part instead.
 */
public final class WorkflowQueries {

  private static final Logger log = LoggerFactory.getLogger(WorkflowQueries.class);
  public static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final ExecutorService QUERIES = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "workflow-query");
    t.setDaemon(true);
    return t;
  });

  private WorkflowQueries() {}

  /** @return the answer, or null when no worker answered within {@link #TIMEOUT} or the query failed */
  public static <T> T within(Callable<T> query, String what) {
    Future<T> future = QUERIES.submit(query);
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      log.info("no worker answered the query of {} within {}", what, TIMEOUT);
      return null;
    } catch (ExecutionException e) {
      log.info("the query of {} failed: {}", what, e.getCause().getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
