package io.patchloop.common;

/** The operating systems Patchloop knows, by the names the API uses. */
public enum OsFamily {
  /** Huawei Cloud EulerOS. */
  HCE,
  CENTOS,
  EULEROS,
  OPENEULER
}
