// Static files of the search page, compiled into the binary: no CDN, no network, no files to
// install beside it.
#pragma once

#include <string_view>

namespace vnsearch::server::assets {

/// /static/style.css: readable from 320 px phones up; no web fonts.
extern const std::string_view kStyle;

/// /static/app.js: small enhancements only; the page works without it.
extern const std::string_view kScript;

/// /static/suggest.js: the completion list under the search box (suggest_assets.cpp).
extern const std::string_view kSuggestScript;

}  // namespace vnsearch::server::assets
