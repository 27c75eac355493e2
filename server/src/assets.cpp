#include "assets.h"

namespace vnsearch::server::assets {

const std::string_view kStyle = R"css(*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1d1d1f;background:#fff}
a{color:#0b57d0}
a:visited{color:#6a1b9a}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f9ab00;outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.25rem .5rem;z-index:1}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header{border-bottom:1px solid #e0e0e0;padding:.75rem 1rem;background:#fafafa}
header .brand{font-weight:700;text-decoration:none;color:#b3261e;margin-right:.75rem;white-space:nowrap}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;max-width:60rem;margin:0 auto}
form.search{display:flex;flex:1 1 16rem;min-width:0}
form.search input{flex:1;min-width:0;font:inherit;padding:.5rem .75rem;border:1px solid #9e9e9e;border-radius:.5rem 0 0 .5rem}
form.search button{font:inherit;padding:.5rem 1rem;border:1px solid #0b57d0;background:#0b57d0;color:#fff;border-radius:0 .5rem .5rem 0;cursor:pointer}
.lang{font-size:.875rem}
main{max-width:60rem;margin:0 auto;padding:1rem;display:grid;grid-template-columns:minmax(0,1fr) 14rem;gap:1.5rem;overflow-wrap:anywhere}
main.single{display:block}
.results{min-width:0}
.summary{margin:0 0 .25rem;color:#444}
h1.summary{font-size:1.375rem;font-weight:400;line-height:1.3}
.summary strong{color:#1d1d1f}
.readings,.notes,.correction{margin:.25rem 0;font-size:.95rem}
.readings a{margin-right:.5rem}
.sort{margin:.5rem 0 1rem;font-size:.95rem}
.sort a,.sort span{margin-right:.75rem;white-space:nowrap}
.sort [aria-current]{font-weight:700;color:#1d1d1f;text-decoration:none}
ol.hits{list-style:none;margin:0;padding:0}
ol.hits li{margin:0 0 1.25rem}
ol.hits h2{font-size:1.125rem;margin:0;font-weight:600;overflow-wrap:anywhere}
.meta{margin:.125rem 0;color:#5f6368;font-size:.875rem}
.snippet{margin:.25rem 0 0;overflow-wrap:anywhere}
mark{background:#fde68a;color:inherit;padding:0 .05em;border-radius:.15em}
.timeline{margin:0 0 1rem}
.timeline figcaption{font-size:.875rem;color:#5f6368}
.timeline svg{display:block;width:100%;height:3.5rem;border-bottom:1px solid #9e9e9e}
.timeline .bar{fill:#0b57d0}
.timeline .bar:hover{fill:#b3261e}
.timeline-range{display:flex;justify-content:space-between;gap:.5rem;margin:.125rem 0 0;font-size:.75rem;color:#5f6368}
aside.facets h2{font-size:1rem;margin:0 0 .25rem}
aside.facets ul{list-style:none;margin:0 0 1rem;padding:0;font-size:.95rem}
aside.facets li{margin:.125rem 0}
aside.facets .count{color:#5f6368}
aside.facets [aria-current]{font-weight:700}
.active-filters{margin:0 0 .5rem;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.5rem}
.active-filters a{display:inline-block;padding:.125rem .5rem;border:1px solid #9e9e9e;border-radius:1rem;text-decoration:none;font-size:.875rem}
nav.pages ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:1.5rem 0}
nav.pages a,nav.pages span{display:inline-block;min-width:2.25rem;text-align:center;padding:.25rem .5rem;border:1px solid #e0e0e0;border-radius:.375rem}
nav.pages [aria-current]{background:#0b57d0;color:#fff;border-color:#0b57d0}
.empty ul{padding-left:1.25rem}
.error{color:#b3261e}
form.search{position:relative}
.suggestions{position:absolute;z-index:2;top:100%;left:0;right:0;margin:.25rem 0 0;padding:.25rem 0;list-style:none;background:#fff;border:1px solid #9e9e9e;border-radius:.5rem;box-shadow:0 4px 12px rgba(0,0,0,.15);max-height:70vh;overflow-y:auto}
.suggestions[hidden]{display:none}
.suggestions li{padding:.625rem .75rem;cursor:pointer;overflow-wrap:anywhere}
.suggestions li[aria-selected=true],.suggestions li:hover{background:#e8f0fe}
@media (max-width:40rem){main{display:block;padding:.75rem}aside.facets{border-top:1px solid #e0e0e0;margin-top:1rem;padding-top:.75rem}header{padding:.5rem}}
)css";

const std::string_view kScript = R"js(// Enhancements only: the page is complete without script.
(function () {
  var box = document.getElementById('q');
  if (!box) return;
  // "/" jumps to the search box, as on many search sites.
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.target === box) return;
    var tag = event.target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || event.target.isContentEditable) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
)js";

}  // namespace vnsearch::server::assets
