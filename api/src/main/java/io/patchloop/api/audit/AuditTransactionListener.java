package io.patchloop.api.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Writes an audited request's row inside the first read-write transaction the request commits, just
 * before that commit, on the transaction's own connection: the change and its record commit or roll
 * back together. Spring Boot adds every TransactionExecutionListener bean to the auto-configured
 * JDBC transaction manager. If the row cannot be written the commit fails and the change is rolled
 * back (the API answers 503): a change is never made without its record.
 */
@Component
class AuditTransactionListener implements TransactionExecutionListener {

  private static final Logger log = LoggerFactory.getLogger(AuditTransactionListener.class);

  private final AuditEventStore store;
  /** The transaction that wrote the current thread's row, until it has committed. */
  private final ThreadLocal<TransactionExecution> writer = new ThreadLocal<>();

  AuditTransactionListener(AuditEventStore store) {
    this.store = store;
  }

  @Override
  public void beforeCommit(TransactionExecution tx) {
    AuditContext context = AuditContext.current();
    if (context == null || context.rowId != null || !tx.isNewTransaction() || tx.isReadOnly() || tx.isRollbackOnly()) {
      return;
    }
    try {
      context.rowId = store.insert(context, null, AuditOutcome.SUCCESS, context.target.targetId(), true);
      writer.set(tx);
    } catch (RuntimeException e) {
      log.error("audit row for request {} ({} {} by {}) could not be written; the change is rolled back",
          context.requestId, context.method, context.path, context.actor, e);
      throw new AuditUnavailableException(e);
    }
  }

  @Override
  public void afterCommit(TransactionExecution tx, Throwable failure) {
    if (writer.get() == tx) {
      writer.remove();
      if (failure != null) {
        forget();
      }
    }
  }

  @Override
  public void afterRollback(TransactionExecution tx, Throwable failure) {
    // a commit that failed after the row was written rolls it back with the change
    if (writer.get() == tx) {
      writer.remove();
      forget();
    }
  }

  private static void forget() {
    AuditContext context = AuditContext.current();
    if (context != null) {
      context.rowId = null;
    }
  }
}
