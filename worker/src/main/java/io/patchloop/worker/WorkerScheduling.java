package io.patchloop.worker;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The worker's periodic jobs (TicketReconciler); the API has its own (AuditRetention). */
@Configuration
@EnableScheduling
public class WorkerScheduling {}
