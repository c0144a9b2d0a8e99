package dev.palisade.gateway.server;

import java.time.Duration;

/**
 * What a graceful shutdown did.
 *
 * @param inFlight proxied requests (streams included) running when the drain began
 * @param endedAtDeadline those still running at the deadline, ended with an error
 * @param took from the start of the drain to the last connection closed
 */
public record DrainReport(int inFlight, int endedAtDeadline, Duration took) {}
