package io.mintgate.authorizer.policy.versions;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two policy texts in unified form ({@code ---}/{@code +++} headers, {@code @@} hunks with three
 * lines of context), from the longest common subsequence of lines: policies are a few hundred lines at most.
 */
public final class LineDiff {

    private static final int CONTEXT = 3;

    private LineDiff() {
    }

    public static List<String> unified(String from, String to, String fromName, String toName) {
        String[] a = from.split("\n", -1);
        String[] b = to.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                ops.add(new Line(' ', a[i], i++, j++));
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] > lcs[i + 1][j])) {
                ops.add(new Line('+', b[j], i, j++));
            } else {
                ops.add(new Line('-', a[i], i++, j));
            }
        }
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).op() == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // extend the hunk while changes are within 2 * CONTEXT kept lines of each other
            while (end < ops.size()) {
                if (ops.get(end).op() != ' ') {
                    end++;
                    continue;
                }
                int run = end;
                while (run < ops.size() && ops.get(run).op() == ' ') {
                    run++;
                }
                if (run < ops.size() && run - end <= 2 * CONTEXT) {
                    end = run;
                } else {
                    end = Math.min(ops.size(), end + CONTEXT);
                    break;
                }
            }
            if (out.isEmpty()) {
                out.add("--- " + fromName);
                out.add("+++ " + toName);
            }
            int fromStart = ops.get(start).from();
            int toStart = ops.get(start).to();
            int fromCount = 0;
            int toCount = 0;
            for (int h = start; h < end; h++) {
                char op = ops.get(h).op();
                fromCount += op != '+' ? 1 : 0;
                toCount += op != '-' ? 1 : 0;
            }
            out.add("@@ -" + (fromStart + 1) + "," + fromCount + " +" + (toStart + 1) + "," + toCount + " @@");
            for (int h = start; h < end; h++) {
                out.add(ops.get(h).op() + ops.get(h).text());
            }
            k = end;
        }
        return out;
    }

    /** One line of the edit script: kept (' '), only in the old text ('-') or only in the new ('+'), and where. */
    private record Line(char op, String text, int from, int to) {
    }
}
