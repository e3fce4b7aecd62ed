package io.microbatch.engine.exec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contract {@link TaskExecutor} promises the engine, on the local thread pool. */
class ThreadPoolTaskExecutorTest {

  @Test
  void resultsComeBackInTaskOrderWhateverOrderTasksFinishIn() throws Exception {
    try (ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor(4)) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        tasks.add(() -> {
          Thread.sleep(5L * (8 - n));
          return n;
        });
      }
      assertThat(executor.runAll(tasks), contains(0, 1, 2, 3, 4, 5, 6, 7));
    }
  }

  @Test
  void aSingleTaskRunsOnTheCallingThread() throws Exception {
    try (ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor(2)) {
      List<Callable<Thread>> one = List.of(Thread::currentThread);
      assertThat(executor.runAll(one).get(0), sameInstance(Thread.currentThread()));
    }
  }

  @Test
  void aFailureIsThrownOnlyAfterEveryTaskStoppedWithLaterFailuresSuppressed() throws Exception {
    try (ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor(3)) {
      IllegalStateException first = new IllegalStateException("first");
      IllegalStateException second = new IllegalStateException("second");
      CountDownLatch failed = new CountDownLatch(2);
      AtomicInteger finished = new AtomicInteger();
      List<Callable<Integer>> tasks = List.of(
          () -> {
            failed.countDown();
            throw first;
          },
          () -> {
            failed.countDown();
            throw second;
          },
          () -> {
            // Still running when the others failed: the call must wait for it.
            failed.await(10, TimeUnit.SECONDS);
            Thread.sleep(100);
            finished.incrementAndGet();
            return 3;
          });
      IllegalStateException thrown =
          assertThrows(IllegalStateException.class, () -> executor.runAll(tasks));
      assertThat(thrown, sameInstance(first));
      assertThat(thrown.getSuppressed(), arrayWithSize(1));
      assertThat(thrown.getSuppressed()[0], sameInstance(second));
      assertThat(finished.get(), equalTo(1));
    }
  }

  @Test
  void theSameExceptionThrownByTwoTasksIsThrownOnceWithoutSelfSuppression() throws Exception {
    try (ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor(2)) {
      IllegalArgumentException shared = new IllegalArgumentException("shared");
      List<Callable<Integer>> tasks = List.of(() -> {
        throw shared;
      }, () -> {
        throw shared;
      });
      IllegalArgumentException thrown =
          assertThrows(IllegalArgumentException.class, () -> executor.runAll(tasks));
      assertThat(thrown, sameInstance(shared));
      assertThat(thrown.getSuppressed(), arrayWithSize(0));
    }
  }
}
