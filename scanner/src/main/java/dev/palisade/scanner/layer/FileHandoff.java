package dev.palisade.scanner.layer;

import dev.palisade.scanner.detect.FileContext;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Lets scan threads that have no layer left scan files of the layers still being read.
 *
 * <p>Why: a layer is one gzip stream, read by one thread, and layers differ in size and in file
 * count, so with fewer threads than layers the last layer used to run alone while the other cores
 * sat idle (a 1-layer image used one core throughout). Decompressing cannot be split, but the
 * detection work on each file can: a thread reading a layer hands whole small files to idle
 * threads, and scans the file itself whenever no one is idle or the queue is full. While every
 * thread has a layer of its own, nothing is handed off and nothing changes.
 *
 * <p>Memory stays bounded: at most {@link #capacityBytes} of file bodies wait here at once, and
 * files above {@link #maxFileBytes} are always scanned by the thread that reads them.
 */
public final class FileHandoff {

  /** Files at most this large may be handed off; larger ones stream through the reading thread. */
  public static final int DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

  /** File bodies waiting for a helper, in bytes, at most. */
  public static final long DEFAULT_CAPACITY_BYTES = 16L * 1024 * 1024;

  /** One handed-off file: its layer's walk, what the tar header said, its bytes, its place in the layer. */
  record Task(LayerScanner.Walk owner, FileContext file, byte[] bytes, long ordinal) {}

  private final int maxFileBytes;
  private final long capacityBytes;
  private final ArrayDeque<Task> tasks = new ArrayDeque<>();
  private long queuedBytes;
  private long handedOff;
  private int unfinishedLayers;
  /** Threads with no layer of their own; read without the lock on every file, hence volatile. */
  private volatile int helpers;

  /**
   * @param layers how many layer scans will run; helpers stop once that many have finished
   */
  public FileHandoff(int layers, int maxFileBytes, long capacityBytes) {
    if (layers < 0 || maxFileBytes < 0 || capacityBytes < 0) {
      throw new IllegalArgumentException("layers, maxFileBytes and capacityBytes must not be negative");
    }
    this.unfinishedLayers = layers;
    this.maxFileBytes = maxFileBytes;
    this.capacityBytes = capacityBytes;
  }

  public FileHandoff(int layers) {
    this(layers, DEFAULT_MAX_FILE_BYTES, DEFAULT_CAPACITY_BYTES);
  }

  /** A handoff no one helps with: every file is scanned by the thread that reads it. */
  public static FileHandoff none() {
    return new FileHandoff(0, 0, 0);
  }

  /** Whether a file of this size is worth reading into memory for someone else to scan. */
  boolean wants(long size) {
    return helpers > 0 && size <= maxFileBytes;
  }

  /** Whether some thread is helping right now. */
  public boolean hasHelpers() {
    return helpers > 0;
  }

  /** Files handed off so far (a figure for tests and diagnostics). */
  public synchronized long handedOffFiles() {
    return handedOff;
  }

  /**
   * Queues a task, or returns false when the queue is full (the caller scans the file itself).
   * An accepted task counts as outstanding for its walk until {@link #finished} is called.
   */
  synchronized boolean offer(Task task) {
    long size = task.bytes().length;
    if (queuedBytes + size > capacityBytes) {
      return false;
    }
    tasks.add(task);
    queuedBytes += size;
    handedOff++;
    task.owner().outstanding++;
    notifyAll();
    return true;
  }

  /** Called once a handed-off task has been scanned, by whichever thread scanned it. */
  synchronized void finished(Task task) {
    task.owner().outstanding--;
    notifyAll();
  }

  /**
   * Returns once every file {@code owner} handed off is scanned, scanning queued files (of any
   * layer) meanwhile rather than sitting idle. Not interruptible: the caller reads the results
   * the tasks write, so they must all be done; an interrupt is kept for the caller to see.
   */
  void awaitAll(LayerScanner.Walk owner) {
    try {
      if (runTasksUntil(() -> owner.outstanding == 0, false)) {
        Thread.currentThread().interrupt();
      }
    } catch (InterruptedException e) {
      throw new AssertionError("not interruptible", e);
    }
  }

  /** Called by each layer scan when it is finished, handed-off files included. */
  public synchronized void layerFinished() {
    unfinishedLayers--;
    notifyAll();
  }

  private Task take() {
    Task task = tasks.poll();
    queuedBytes -= task.bytes().length;
    return task;
  }

  /**
   * Runs handed-off files until every layer scan has finished. Called by a scan thread once no
   * layer is left for it to start.
   */
  public void helpUntilLayersFinished() throws InterruptedException {
    synchronized (this) {
      helpers++;
    }
    try {
      runTasksUntil(() -> unfinishedLayers <= 0, true);
    } finally {
      synchronized (this) {
        helpers--;
      }
    }
  }

  /**
   * Scans queued files, of any layer, until {@code done} holds (checked under this monitor),
   * waiting while the queue is empty. Returns whether an interrupt was swallowed, which happens
   * only when not {@code interruptible}.
   */
  private boolean runTasksUntil(BooleanSupplier done, boolean interruptible) throws InterruptedException {
    boolean interrupted = false;
    while (true) {
      Task task;
      synchronized (this) {
        while (!done.getAsBoolean() && tasks.isEmpty()) {
          try {
            wait();
          } catch (InterruptedException e) {
            if (interruptible) {
              throw e;
            }
            interrupted = true;
          }
        }
        if (done.getAsBoolean()) {
          return interrupted;
        }
        task = take();
      }
      task.owner().scanHandedOff(task);
    }
  }
}
