package io.mintgate.audit.spool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HandOffQueueTest {

    @Test
    void everyItemOfManyProducersReachesTheConsumerInEachProducersOrder() throws Exception {
        HandOffQueue<long[]> queue = new HandOffQueue<>(64);
        int producers = 8;
        int perProducer = 5_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long producer = p;
            Thread t = new Thread(() -> {
                for (long i = 0; i < perProducer; i++) {
                    try {
                        assertThat(queue.offer(new long[] {producer, i}, 10_000)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long[] next = new long[producers];
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<long[]> batch = new ArrayList<>();
        while (received < producers * perProducer && System.nanoTime() < deadline) {
            long[] first = queue.poll(TimeUnit.MILLISECONDS.toNanos(100));
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, 100);
            for (long[] item : batch) {
                assertThat(item[1]).isEqualTo(next[(int) item[0]]++);
            }
            received += batch.size();
            batch.clear();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(received).isEqualTo(producers * perProducer);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aFullQueueRefusesAfterTheTimeoutAndAcceptsOnceTheConsumerTookSome() throws Exception {
        HandOffQueue<String> queue = new HandOffQueue<>(2);
        assertThat(queue.offer("a", 0)).isTrue();
        assertThat(queue.offer("b", 0)).isTrue();
        long started = System.nanoTime();
        assertThat(queue.offer("c", 50)).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(queue.poll(0)).isEqualTo("a");
        assertThat(queue.offer("c", 0)).isTrue();
        List<String> rest = new ArrayList<>();
        queue.drainTo(rest, 10);
        assertThat(rest).containsExactly("b", "c");
    }

    @Test
    void aParkedConsumerIsWokenByAnOffer() throws Exception {
        HandOffQueue<String> queue = new HandOffQueue<>(4);
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(100);
                queue.offer("x", 0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();
        long started = System.nanoTime();
        String item = null;
        while (item == null && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5)) {
            item = queue.poll(TimeUnit.SECONDS.toNanos(10));
        }
        assertThat(item).isEqualTo("x");
        assertThat(System.nanoTime() - started).as("woken by the offer, not by the 10 s timeout")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        producer.join();
    }
}
