/**
 * The host a run is measured on: the measured server's processes (a managed server's tree, the process
 * listening on a loopback server's port, or configured process names, followed through the run), how busy
 * the host's CPU was and who made it busy (the server, Orket, or foreign processes), and the one
 * process-tree stop that the managed server and the GPU sidecar share.
 */
@NullMarked
package dev.orket.core.host;

import org.jspecify.annotations.NullMarked;
