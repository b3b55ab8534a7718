// Register the service worker so the site installs and opens offline.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  });
}

// Relative times in the reader's own time zone, by calendar day (the server
// writes them in UTC; without JavaScript those stay). The same rules as
// relativeTime in render.go. The hover title gives the exact local time.
(function () {
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function plural(n, w) { return n + " " + w + (n === 1 ? "" : "s"); }
  function hm(t) { return pad(t.getHours()) + ":" + pad(t.getMinutes()); }
  // Day number of a local calendar date (noon avoids daylight-saving edges).
  function day(t) { return Math.round(new Date(t.getFullYear(), t.getMonth(), t.getDate(), 12).getTime() / 864e5); }
  function shortDate(now, t) {
    return t.getDate() + " " + months[t.getMonth()] + (now.getFullYear() === t.getFullYear() ? "" : " " + t.getFullYear());
  }
  function relative(now, t) {
    var d = now - t, days = day(now) - day(t), min = 6e4, hour = 36e5;
    if (d < -min) return days === 0 ? hm(t) : shortDate(now, t) + " " + hm(t);
    if (d < min) return "just now";
    if (d < hour) return plural(Math.floor(d / min), "minute") + " ago";
    if (days === 0 || d < 3 * hour) return plural(Math.floor(d / hour), "hour") + " ago";
    if (days === 1) return "yesterday";
    if (days < 30) return plural(days, "day") + " ago";
    return shortDate(now, t);
  }
  var exact = { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  function update() {
    var now = new Date();
    document.querySelectorAll("time[data-rel]").forEach(function (el) {
      var t = new Date(el.getAttribute("datetime"));
      if (isNaN(t.getTime())) return;
      el.textContent = relative(now, t);
      try { el.title = t.toLocaleString(undefined, exact); } catch (e) { /* keep the server's UTC title */ }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", update);
  else update();
  setInterval(update, 60000);
})();
