package io.dcx.hub.routing;

import java.util.Arrays;

/**
 * Sorts {@code long}s by distribution: one counting pass into about two buckets per element over the value
 * range, then insertion sort inside the buckets (a bucket that is still large is sorted the same way again).
 * The routing keys are random and spread out, so buckets hold a few elements and this runs two to three times
 * faster than {@link Arrays#sort(long[])}, whose cost on random data is dominated by branch mispredictions.
 */
final class LongSort {

    private static final int INSERTION = 24;
    private static final int MAX_BUCKET_FOR_INSERTION = 64;

    private LongSort() {
    }

    /**
     * Sorts {@code a[from, to)} ascending, using {@code scratch[from, to)} as working space. The values must not
     * be negative (the routing keys never are), so that {@code max - min} cannot overflow.
     */
    static void sort(long[] a, long[] scratch, int from, int to) {
        int length = to - from;
        if (length <= INSERTION) {
            insertion(a, from, to);
            return;
        }
        long min = a[from];
        long max = min;
        for (int i = from + 1; i < to; i++) {
            long v = a[i];
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        long range = max - min; // callers' values are non-negative: no overflow
        if (range == 0) {
            return;
        }
        int bucketBits = 33 - Integer.numberOfLeadingZeros(length - 1); // 2^bucketBits >= 2 * length
        int shift = Math.max(0, 64 - Long.numberOfLeadingZeros(range) - bucketBits);
        int buckets = (int) (range >>> shift) + 1;
        // bucket b: counted in end[b + 1]; after the prefix sums end[b] is its start; after the scatter its end
        int[] end = new int[buckets + 1];
        for (int i = from; i < to; i++) {
            end[(int) ((a[i] - min) >>> shift) + 1]++;
        }
        int largest = 0;
        for (int b = 0; b < buckets; b++) {
            largest = Math.max(largest, end[b + 1]);
            end[b + 1] += end[b];
        }
        for (int i = from; i < to; i++) {
            long v = a[i];
            scratch[from + end[(int) ((v - min) >>> shift)]++] = v;
        }
        if (largest <= MAX_BUCKET_FOR_INSERTION) {
            // Buckets are in order and small: one insertion pass only moves elements within their bucket.
            insertion(scratch, from, to);
        } else {
            int s = from;
            for (int b = 0; b < buckets; b++) {
                int e = from + end[b];
                if (e - s > 1) {
                    if (e - s <= MAX_BUCKET_FOR_INSERTION) {
                        insertion(scratch, s, e);
                    } else {
                        sort(scratch, a, s, e); // a[from, to) is free until the copy below
                    }
                }
                s = e;
            }
        }
        System.arraycopy(scratch, from, a, from, length);
    }

    static void insertion(long[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= from && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }
}
