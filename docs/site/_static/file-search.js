// Opened from the file system (file://), a page cannot fetch another page, so Sphinx's
// search would fail to read the result pages' summaries and log errors: show the
// results' titles alone there. Over HTTP the summaries stay.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
