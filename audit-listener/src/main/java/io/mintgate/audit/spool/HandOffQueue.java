package io.mintgate.audit.spool;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off from many request threads to the one spool writer. Producers never take a lock while there
 * is room (a permit CAS and a lock-free enqueue), so request threads do not queue up behind each other on a
 * 2-core machine where the lock holder may be descheduled; and a producer wakes the writer only when the writer
 * is actually parked, so a writer busy with a write or an fsync costs the request threads no wake-up call.
 */
final class HandOffQueue<T> {
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final Semaphore space;
    private final int capacity;
    private final AtomicBoolean consumerParked = new AtomicBoolean();
    private volatile Thread consumer;

    HandOffQueue(int capacity) {
        this.capacity = capacity;
        this.space = new Semaphore(capacity);
    }

    /** Enqueues, waiting up to {@code timeoutMs} for room; false if the queue stayed full. */
    boolean offer(T item, long timeoutMs) throws InterruptedException {
        if (!space.tryAcquire() && !space.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        items.offer(item);
        if (consumerParked.get() && consumerParked.compareAndSet(true, false)) {
            LockSupport.unpark(consumer);
        }
        return true;
    }

    /**
     * Consumer only: the next item, parking up to {@code waitNanos} for one; null on timeout or a spurious wake-up
     * (the caller's loop treats both as "nothing yet"). Clears the interrupt flag: see the writer's loop.
     */
    T poll(long waitNanos) {
        T first = items.poll();
        if (first != null) {
            space.release();
            return first;
        }
        consumer = Thread.currentThread();
        consumerParked.set(true);
        // Re-check after announcing the park: an offer that missed the flag has enqueued before this poll.
        first = items.poll();
        if (first == null) {
            LockSupport.parkNanos(this, waitNanos);
            first = items.poll();
        }
        consumerParked.set(false);
        Thread.interrupted();
        if (first != null) {
            space.release();
        }
        return first;
    }

    /** Consumer only: moves up to {@code max} queued items into {@code into} without waiting. */
    int drainTo(List<T> into, int max) {
        int n = 0;
        for (T item; n < max && (item = items.poll()) != null; n++) {
            into.add(item);
        }
        if (n > 0) {
            space.release(n);
        }
        return n;
    }

    /** Wakes the consumer if it is parked (shutdown). */
    void wakeConsumer() {
        Thread c = consumer;
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    /** Items taken from the room but not yet drained (may count an offer in progress). */
    int size() {
        return capacity - space.availablePermits();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
