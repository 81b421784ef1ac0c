package io.caravan.dialect.anthropic;

/** A base64 {@code data:} URL, the form OpenAI uses for inline images and files and Anthropic splits in two fields. */
record DataUrl(String mediaType, String base64Data) {

    private static final String SCHEME = "data:";
    private static final String BASE64_MARKER = ";base64,";

    /** The media type and payload of a base64 data URL; null for any other URL (http(s), URL-encoded data). */
    static DataUrl parseOrNull(String url) {
        if (url == null || !url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        int marker = url.indexOf(BASE64_MARKER);
        if (marker < 0) {
            return null;
        }
        String mediaType = url.substring(SCHEME.length(), marker);
        int parameters = mediaType.indexOf(';');
        if (parameters >= 0) {
            mediaType = mediaType.substring(0, parameters);
        }
        if (mediaType.isEmpty()) {
            return null;
        }
        return new DataUrl(mediaType, url.substring(marker + BASE64_MARKER.length()));
    }

    String toUrl() {
        return SCHEME + mediaType + BASE64_MARKER + base64Data;
    }

    static boolean isHttpUrl(String url) {
        return url != null && (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7));
    }
}
