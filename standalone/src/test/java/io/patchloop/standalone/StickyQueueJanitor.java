package io.patchloop.standalone;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.QueryResultType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test stand-in for one thing a real Temporal server does and the embedded test server does not.
 * After a workflow task, a worker keeps the workflow in its cache and the server sends the next
 * task to that worker's own "sticky" queue; when the worker is gone, a real server gives up on the
 * sticky queue after its schedule-to-start timeout (5 s) and moves the task to the normal queue,
 * where any worker takes it. The test server never does, so a workflow whose worker stopped would
 * wait forever. This polls the stopped worker's sticky queue and fails each task with cause
 * RESET_STICKY_TASK_QUEUE, which makes the server schedule it again on the normal queue: the
 * same move, made by hand. Everything else about the restart is real.
 */
final class StickyQueueJanitor implements AutoCloseable {

  private final WorkflowClient client;
  private final String stickyQueue;
  private final AtomicInteger moved = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;

  StickyQueueJanitor(WorkflowClient client, String stickyQueue) {
    this.client = client;
    this.stickyQueue = stickyQueue;
    this.thread = new Thread(this::run, "sticky-queue-janitor");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The sticky queue of {@code worker}. The SDK keeps its name to itself (a random UUID per
   * worker) and the test server does not show it in histories, so it is read from the SDK's field;
   * a later SDK that renames the field fails here, loudly.
   */
  static String stickyQueueOf(Worker worker) {
    try {
      Field field = Worker.class.getDeclaredField("stickyTaskQueueName");
      field.setAccessible(true);
      String name = (String) field.get(worker);
      if (name == null) {
        throw new IllegalStateException("the worker has no sticky queue");
      }
      return name;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the worker's sticky queue name from this SDK version", e);
    }
  }

  int moved() {
    return moved.get();
  }

  private void run() {
    String namespace = client.getOptions().getNamespace();
    while (running) {
      try {
        PollWorkflowTaskQueueResponse task = client.getWorkflowServiceStubs().blockingStub()
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                .setNamespace(namespace)
                .setIdentity("sticky-queue-janitor")
                .setTaskQueue(TaskQueue.newBuilder().setName(stickyQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY))
                .build());
        if (!task.getTaskToken().isEmpty() && task.hasQuery()) {
          // a query (the API's live progress) waiting for the stopped worker: answer that it is gone
          client.getWorkflowServiceStubs().blockingStub().respondQueryTaskCompleted(
              RespondQueryTaskCompletedRequest.newBuilder()
                  .setNamespace(namespace)
                  .setTaskToken(task.getTaskToken())
                  .setCompletedType(QueryResultType.QUERY_RESULT_TYPE_FAILED)
                  .setErrorMessage("the worker that held this workflow stopped")
                  .build());
        } else if (!task.getTaskToken().isEmpty()) {
          client.getWorkflowServiceStubs().blockingStub().respondWorkflowTaskFailed(
              RespondWorkflowTaskFailedRequest.newBuilder()
                  .setNamespace(namespace)
                  .setIdentity("sticky-queue-janitor")
                  .setTaskToken(task.getTaskToken())
                  .setCause(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE)
                  .build());
          moved.incrementAndGet();
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED && running) {
          sleepQuietly();
        }
      }
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5000);
  }
}
