// The course portal's analytics (Google Analytics 4) and ad pixel (Meta), started from a file
// rather than inline script so the strict content security policy needs no nonce. The ids come
// from this script tag's data attributes (courses/_integrations.html).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var analyticsId = script.getAttribute("data-analytics-id");
  if (analyticsId) {
    window.dataLayer = window.dataLayer || [];
    window.gtag = function () {
      window.dataLayer.push(arguments);
    };
    window.gtag("js", new Date());
    window.gtag("config", analyticsId);
  }
  var pixelId = script.getAttribute("data-pixel-id");
  if (pixelId) {
    if (!window.fbq) {
      // Meta's loader: fbq queues calls until fbevents.js arrives and takes them over.
      var fbq = function () {
        if (fbq.callMethod) fbq.callMethod.apply(fbq, arguments);
        else fbq.queue.push(arguments);
      };
      window.fbq = fbq;
      if (!window._fbq) window._fbq = fbq;
      fbq.push = fbq;
      fbq.loaded = true;
      fbq.version = "2.0";
      fbq.queue = [];
      var loader = document.createElement("script");
      loader.async = true;
      loader.src = "https://connect.facebook.net/en_US/fbevents.js";
      document.head.appendChild(loader);
    }
    window.fbq("init", pixelId);
    window.fbq("track", "PageView");
  }
})();
