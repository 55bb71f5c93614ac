package io.patchloop.common;

/** One bad field of a request and why it is bad; {@code field} is a JSON path such as {@code rules[2].approveAfterDays}. */
public record FieldProblem(String field, String reason) {}
