package io.caravan.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A scrape in Prometheus's text format 0.0.4, parsed into samples: a name, its labels and its value. Comment lines
 * ({@code # HELP}, {@code # TYPE}) are skipped; a line that is not a sample fails the parse, so a malformed scrape
 * fails the test that reads it.
 */
record PrometheusText(List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {

        String label(String key) {
            return labels.get(key);
        }
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line));
        }
        return new PrometheusText(samples);
    }

    /** The samples of one metric name whose labels include every pair of {@code labels} (key, value, key, value...). */
    List<Sample> find(String name, String... labels) {
        Predicate<Sample> matches = s -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels.get(labels[i]))) {
                    return false;
                }
            }
            return true;
        };
        return samples.stream().filter(s -> s.name.equals(name)).filter(matches).toList();
    }

    /** The sum of the values of {@link #find}: 0 when there is none. */
    double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The one sample that matches; fails when there is none or several. */
    Sample one(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labels) + ": " + found);
        }
        return found.get(0);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTime = line.substring(rest).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(valueAndTime[0]));
    }

    /** Reads {@code key="value",...}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String line, int at, Map<String, String> labels) {
        int i = at;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String key = line.substring(i, equals);
            if (line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("not a label value: " + line);
            }
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }
}
