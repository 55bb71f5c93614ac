package io.patchloop.outbound;

/** A destination the outbound policy does not let Patchloop call; the message says which address and rule. */
public class OutboundRefusedException extends RuntimeException {

  public OutboundRefusedException(String reason) {
    super(reason);
  }
}
