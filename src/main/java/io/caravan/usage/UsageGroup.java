package io.caravan.usage;

/** What usage rows can be grouped by, besides time. */
public enum UsageGroup {
    CLIENT, MODEL, CREDENTIAL
}
