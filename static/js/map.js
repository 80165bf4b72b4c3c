// The listing's map of its results, drawn from our own static files: the Census Bureau's state
// and county outlines (us-atlas), projected with d3-geo, read with topojson-client. Loaded by
// static/js/listing.js only when the map is shown; it reads /centers/map.json with the listing's
// own query string, so it shows the results of the current filters, all of them.
//
// Nationally it counts centers per state (a choropleth); within a state or near a ZIP code it
// shows each center as a point. Every state or point is reachable from the keyboard (one tab
// stop, then the arrow keys) and has its name; the same figures are in a table below the map.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var NATIONAL = { width: 975, height: 695 };
  var ZOOMED = { width: 600, height: 480 };
  // A point's least radius in the map's own units (its pixels depend on the map's width).
  var POINT_RADIUS = 7;
  var CLASSES = 5;
  // Drawn in an inset beside the Albers USA map (which leaves them out).
  var INSET = ["72", "78"];
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var files = {};
  var current = null; // {panel, data, marks, selected}
  var request = null;
  var refocus = false;

  function getJSON(url) {
    if (!files[url]) {
      files[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      });
      files[url].catch(function () {
        delete files[url];
      });
    }
    return files[url];
  }

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, attributes[key]);
    });
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  function html(name, className, text, parent) {
    var node = document.createElement(name);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }

  function number(value) {
    return value.toLocaleString(document.documentElement.lang === "es" ? "en-US" : undefined);
  }

  function centers(labels, count) {
    return fill(count === 1 ? labels.centers_one : labels.centers_other, { count: number(count) });
  }

  // --- classes of a choropleth -------------------------------------------------------------------

  function breaks(counts) {
    // Five classes holding about as many places each (quantiles): centers crowd into a few
    // cities, and classes of equal width would paint nearly every other place alike.
    var sorted = counts.filter(function (count) { return count > 0; }).sort(function (a, b) { return a - b; });
    if (!sorted.length) {
      return [1];
    }
    var limits = [];
    for (var i = 1; i <= CLASSES; i += 1) {
      var limit = sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * i) / CLASSES) - 1)];
      if (!limits.length || limit > limits[limits.length - 1]) {
        limits.push(limit);
      }
    }
    return limits;
  }

  function classOf(count, limits) {
    if (!count) {
      return 0;
    }
    for (var i = 0; i < limits.length; i += 1) {
      if (count <= limits[i]) {
        return i + 1 + (CLASSES - limits.length);
      }
    }
    return CLASSES;
  }

  function countsLegend(legend, labels, title, limits) {
    html("p", "map-legend__title", title, legend);
    var list = html("ul", "map-legend__list", null, legend);
    var ranges = [{ label: labels.legend_none, cls: 0 }];
    limits.forEach(function (limit, index) {
      var low = index === 0 ? 1 : limits[index - 1] + 1;
      ranges.push({
        label: low === limit ? number(limit) : number(low) + "–" + number(limit),
        cls: index + 1 + (CLASSES - limits.length),
      });
    });
    ranges.forEach(function (range) {
      var item = html("li", null, null, list);
      var swatch = element("svg", { width: 16, height: 16, "aria-hidden": "true", focusable: "false" }, item);
      element("rect", { width: 16, height: 16, class: "map-fill-" + range.cls }, swatch);
      item.appendChild(document.createTextNode(" " + range.label));
    });
  }

  function pointsLegend(legend, labels) {
    var list = html("ul", "map-legend__list", null, legend);
    [
      ["map-point", labels.legend_exact],
      ["map-point map-point--approximate", labels.legend_approximate],
    ].forEach(function (entry) {
      var item = html("li", null, null, list);
      var swatch = element("svg", { width: 18, height: 18, "aria-hidden": "true", focusable: "false" }, item);
      element("circle", { cx: 9, cy: 9, r: 6, class: entry[0] }, swatch);
      item.appendChild(document.createTextNode(" " + entry[1]));
    });
  }

  // --- the text alternative ----------------------------------------------------------------------

  function table(container, labels, heading, rows) {
    var node = html("table", "map-table", null, container);
    var head = html("tr", null, null, html("thead", null, null, node));
    html("th", null, heading, head).setAttribute("scope", "col");
    html("th", null, labels.table_count, head).setAttribute("scope", "col");
    var body = html("tbody", null, null, node);
    rows.forEach(function (row) {
      var line = html("tr", null, null, body);
      html("th", null, row.name, line).setAttribute("scope", "row");
      html("td", null, number(row.count), line);
    });
  }

  // --- drawing -------------------------------------------------------------------------------------

  function svgFor(canvas, size) {
    canvas.textContent = "";
    var svg = element(
      "svg",
      {
        viewBox: "0 0 " + size.width + " " + size.height,
        role: "group",
        "aria-labelledby": "map-title",
        class: "map",
      },
      canvas
    );
    return svg;
  }

  function drawPaths(group, features, path, className) {
    features.forEach(function (feature) {
      var d = path(feature);
      if (d) {
        element("path", { d: d, class: className }, group);
      }
    });
  }

  function stateFeatures(atlas) {
    return topojson.feature(atlas, atlas.objects.states).features;
  }

  function drawStates(state, atlas) {
    var data = state.data;
    var labels = data.labels;
    var size = NATIONAL;
    var svg = svgFor(state.canvas, size);
    var byFips = {};
    data.states.forEach(function (entry) {
      if (entry.fips) {
        byFips[entry.fips] = entry;
      }
    });
    var limits = breaks(data.states.map(function (entry) { return entry.count; }));
    var features = stateFeatures(atlas);
    var main = d3.geoPath(d3.geoAlbersUsa().scale(1300).translate([487.5, 305]));
    var insetFeatures = features.filter(function (f) { return INSET.indexOf(f.id) >= 0; });
    // A strip below the Albers USA frame holds Puerto Rico and the Virgin Islands.
    var insetBox = [[700, 622], [965, 684]];
    var inset = d3.geoPath(
      d3.geoMercator().fitExtent(insetBox, { type: "FeatureCollection", features: insetFeatures })
    );
    element("rect", {
      x: insetBox[0][0] - 6, y: insetBox[0][1] - 6, width: insetBox[1][0] - insetBox[0][0] + 12,
      height: insetBox[1][1] - insetBox[0][1] + 12, class: "map-inset",
    }, svg);
    var caption = element("text", { x: insetBox[0][0] - 16, y: insetBox[1][1] - 18, class: "map-inset__label" }, svg);
    caption.textContent = labels.inset;
    var group = element("g", { role: "group", "aria-label": labels.states_group }, svg);
    var marks = [];
    features.forEach(function (feature) {
      var path = INSET.indexOf(feature.id) >= 0 ? inset : main;
      var d = path(feature);
      if (!d) {
        return;
      }
      var entry = byFips[feature.id];
      var count = entry ? entry.count : 0;
      var node = element("path", { d: d, class: "map-state map-fill-" + classOf(count, limits) }, group);
      if (entry) {
        node.setAttribute("role", "button");
        node.setAttribute("aria-label", entry.name + ": " + centers(labels, count));
        marks.push({ node: node, state: entry, name: entry.name });
      }
    });
    marks.sort(function (a, b) { return a.name.localeCompare(b.name); });
    countsLegend(state.legend, labels, labels.legend_states, limits);
    return marks;
  }

  function zoomedProjection(fitTo) {
    var center = d3.geoCentroid(fitTo);
    var bounds = d3.geoBounds(fitTo);
    var south = Math.max(-80, bounds[0][1]);
    var north = Math.min(80, bounds[1][1]);
    return d3
      .geoConicEqualArea()
      .parallels([south + (north - south) / 6, north - (north - south) / 6 || south + 0.1])
      .rotate([-center[0], 0])
      .fitExtent([[28, 28], [ZOOMED.width - 28, ZOOMED.height - 28]], fitTo);
  }

  function fitTarget(data, features) {
    if (data.near) {
      var degrees = data.near.radius / 69.05;
      return d3.geoCircle().center([data.near.longitude, data.near.latitude]).radius(degrees)();
    }
    var fips = (data.states[0] || {}).fips;
    var chosen = features.filter(function (f) { return f.id === fips; })[0];
    if (chosen) {
      return chosen;
    }
    var rows = (data.points && data.points.rows) || [];
    return {
      type: "MultiPoint",
      coordinates: rows.length ? rows.map(function (row) { return [row[2], row[1]]; }) : [[-98, 39]],
    };
  }

  function drawOutlines(svg, data, atlas, path) {
    var features = stateFeatures(atlas);
    var land = element("g", { "aria-hidden": "true" }, svg);
    drawPaths(land, features, path, "map-land");
    var counties = element("g", { "aria-hidden": "true" }, svg);
    var urls = Object.keys(data.outlines || {}).map(function (fips) { return data.outlines[fips]; });
    var loaded = Promise.all(urls.map(getJSON)).then(function (topologies) {
      topologies.forEach(function (topology) {
        drawPaths(counties, topojson.feature(topology, topology.objects.counties).features, path, "map-county");
      });
      return topologies;
    });
    var borders = element("g", { "aria-hidden": "true" }, svg);
    drawPaths(borders, features, path, "map-border");
    return { counties: counties, loaded: loaded, borders: borders };
  }

  function drawPoints(state, atlas) {
    var data = state.data;
    var labels = data.labels;
    var svg = svgFor(state.canvas, ZOOMED);
    var shown = svg.getBoundingClientRect().width || ZOOMED.width;
    // Six pixels across when there is room; smaller as points crowd in, where the keyboard and
    // the list stay the way to reach each one.
    var count = data.points.rows.length;
    var pixels = count > 400 ? 3 : count > 150 ? 4.5 : 6;
    var radius = Math.max(count > 150 ? 2 : POINT_RADIUS, (pixels * ZOOMED.width) / shown);
    var projection = zoomedProjection(fitTarget(data, stateFeatures(atlas)));
    var path = d3.geoPath(projection);
    drawOutlines(svg, data, atlas, path);
    if (data.near) {
      var ring = d3.geoCircle().center([data.near.longitude, data.near.latitude]).radius(data.near.radius / 69.05)();
      element("path", { d: path(ring), class: "map-radius", "aria-hidden": "true" }, svg);
    }
    var fields = data.points.fields;
    var at = {};
    fields.forEach(function (name, index) { at[name] = index; });
    // Points that share a spot (most often a ZIP code's centre) are spread around it so each
    // can be picked, with a thin line back to the spot.
    var spots = {};
    var points = data.points.rows.map(function (row) {
      var xy = projection([row[at.longitude], row[at.latitude]]);
      var point = {
        id: row[at.id], name: row[at.name], slug: row[at.slug], paid: !!row[at.paid],
        exact: !!row[at.exact], xy: xy,
      };
      if (xy) {
        var key = row[at.latitude].toFixed(4) + "," + row[at.longitude].toFixed(4);
        (spots[key] = spots[key] || []).push(point);
      }
      return point;
    });
    Object.keys(spots).forEach(function (key) {
      var shared = spots[key];
      var origin = shared[0].xy;
      shared.forEach(function (point, k) {
        var angle = k * 2.399963; // the golden angle: an even spiral however many there are
        var distance = shared.length < 2 ? 0 : radius * 2.1 * Math.sqrt(k + 0.5);
        point.at = [origin[0] + distance * Math.cos(angle), origin[1] + distance * Math.sin(angle)];
      });
    });
    var placed = points.filter(function (point) { return point.at; });
    // Nudging a crowd apart would only spread it over the whole map: a few hundred at most.
    if (placed.length <= 400) {
      separate(placed, radius * 2 + 1);
    }
    var spokes = element("g", { "aria-hidden": "true" }, svg);
    placed.forEach(function (point) {
      point.offset = [point.at[0] - point.xy[0], point.at[1] - point.xy[1]];
      if (Math.abs(point.offset[0]) + Math.abs(point.offset[1]) > radius) {
        point.spoke = element("line", { x1: point.xy[0], y1: point.xy[1], x2: point.at[0], y2: point.at[1], class: "map-spoke" }, spokes);
        point.spot = element("circle", { cx: point.xy[0], cy: point.xy[1], r: 2, class: "map-spot" }, spokes);
      }
    });
    var group = element("g", { role: "group", "aria-label": labels.points_group }, svg);
    var marks = [];
    points.forEach(function (point) {
      if (!point.at) {
        return;
      }
      var node = element("circle", {
        cx: point.at[0].toFixed(1), cy: point.at[1].toFixed(1), r: radius.toFixed(1),
        class: "map-point" + (point.exact ? "" : " map-point--approximate"), role: "button",
        "aria-label": point.exact ? point.name : fill(labels.point_approximate, { name: point.name }),
      }, group);
      marks.push({ node: node, point: point, name: point.name });
    });
    pointsLegend(state.legend, labels);
    state.radius = radius;
    state.grow = 6 / pixels;
    return marks;
  }

  // --- zooming in on a crowded state: the points keep their size and draw apart -----------------

  function applyZoom(state) {
    var z = state.zoom;
    var width = ZOOMED.width / z;
    var height = ZOOMED.height / z;
    var x = Math.min(Math.max(state.centre[0] - width / 2, 0), ZOOMED.width - width);
    var y = Math.min(Math.max(state.centre[1] - height / 2, 0), ZOOMED.height - height);
    state.centre = [x + width / 2, y + height / 2];
    state.canvas.querySelector("svg").setAttribute("viewBox", [x, y, width, height].join(" "));
    // Crowded points were drawn small: zoomed in, they grow back to their full size, and
    // their spirals with them.
    var scale = Math.min(state.grow, z) / z;
    state.marks.forEach(function (mark) {
      var point = mark.point;
      if (!point) {
        return;
      }
      var cx = point.xy[0] + point.offset[0] * scale;
      var cy = point.xy[1] + point.offset[1] * scale;
      mark.node.setAttribute("cx", cx.toFixed(2));
      mark.node.setAttribute("cy", cy.toFixed(2));
      mark.node.setAttribute("r", (state.radius * scale).toFixed(2));
      if (point.spoke) {
        point.spoke.setAttribute("x2", cx.toFixed(2));
        point.spoke.setAttribute("y2", cy.toFixed(2));
        point.spot.setAttribute("r", (2 / z).toFixed(2));
      }
    });
    if (z > 1) {
      state.panel.setAttribute("data-zoom", String(z));
    } else {
      state.panel.removeAttribute("data-zoom");
    }
  }

  function zoomBy(state, factor) {
    state.zoom = Math.min(Math.max(state.zoom * factor, 1), 16);
    applyZoom(state);
  }

  function showMark(state, mark) {
    // The keyboard may move to a point outside the zoomed view: bring it in.
    if (state.zoom === 1 || !mark.point) {
      return;
    }
    var cx = Number(mark.node.getAttribute("cx"));
    var cy = Number(mark.node.getAttribute("cy"));
    var half = [ZOOMED.width / state.zoom / 2, ZOOMED.height / state.zoom / 2];
    if (Math.abs(cx - state.centre[0]) > half[0] * 0.9 || Math.abs(cy - state.centre[1]) > half[1] * 0.9) {
      state.centre = [cx, cy];
      applyZoom(state);
    }
  }

  // Nudge apart points closer than ``gap`` (near neighbours, not only shared spots), a few
  // rounds, comparing each point only with those in its own and the next cells of a grid.
  function separate(points, gap) {
    for (var round = 0; round < 12; round += 1) {
      var grid = {};
      var moved = false;
      points.forEach(function (point) {
        var key = Math.floor(point.at[0] / gap) + ":" + Math.floor(point.at[1] / gap);
        (grid[key] = grid[key] || []).push(point);
      });
      points.forEach(function (p, index) {
        var cx = Math.floor(p.at[0] / gap);
        var cy = Math.floor(p.at[1] / gap);
        for (var dx = -1; dx <= 1; dx += 1) {
          for (var dy = -1; dy <= 1; dy += 1) {
            (grid[cx + dx + ":" + (cy + dy)] || []).forEach(function (q) {
              if (q === p) {
                return;
              }
              var vx = p.at[0] - q.at[0];
              var vy = p.at[1] - q.at[1];
              var d = Math.sqrt(vx * vx + vy * vy);
              if (d >= gap) {
                return;
              }
              if (d < 0.01) {
                vx = Math.cos(index);
                vy = Math.sin(index);
                d = 1;
              }
              var push = (gap - d) / 2 / d;
              p.at = [p.at[0] + vx * push, p.at[1] + vy * push];
              q.at = [q.at[0] - vx * push, q.at[1] - vy * push];
              moved = true;
            });
          }
        }
      });
      if (!moved) {
        return;
      }
    }
  }

  function countyKey(name) {
    return (name || "")
      .toLowerCase()
      .replace(/^st\.? /, "saint ")
      .replace(/ (county|parish|borough|municipio|census area|city and borough|municipality)$/, "")
      .trim();
  }

  function drawCounties(state, atlas) {
    var data = state.data;
    var labels = data.labels;
    var svg = svgFor(state.canvas, ZOOMED);
    var path = d3.geoPath(zoomedProjection(fitTarget(data, stateFeatures(atlas))));
    var outlines = drawOutlines(svg, data, atlas, path);
    var byName = {};
    data.counties.forEach(function (entry) {
      if (entry.name) {
        byName[countyKey(entry.name)] = entry;
      }
    });
    var limits = breaks(data.counties.map(function (entry) { return entry.count; }));
    var group = element("g", { role: "group", "aria-label": labels.counties_group }, svg);
    var marks = [];
    outlines.loaded.then(function (topologies) {
      outlines.counties.textContent = "";
      topologies.forEach(function (topology) {
        topojson.feature(topology, topology.objects.counties).features.forEach(function (feature) {
          var entry = byName[countyKey(feature.properties.name)];
          var node = element("path", {
            d: path(feature),
            class: "map-county map-fill-" + classOf(entry ? entry.count : 0, limits),
          }, entry ? group : outlines.counties);
          if (entry) {
            node.setAttribute("role", "button");
            node.setAttribute("aria-label", entry.name + ": " + centers(labels, entry.count));
            marks.push({ node: node, county: entry, name: entry.name });
          }
        });
      });
      marks.sort(function (a, b) { return a.name.localeCompare(b.name); });
      setMarks(state, marks);
    });
    svg.appendChild(outlines.borders);
    countsLegend(state.legend, labels, labels.legend_counties, limits);
    return marks;
  }

  // --- keyboard, pointer and the selected center ------------------------------------------------

  function setMarks(state, marks) {
    state.marks = marks;
    state.panel.setAttribute("data-marks", String(marks.length));
    marks.forEach(function (mark, index) {
      mark.node.setAttribute("tabindex", index === 0 ? "0" : "-1");
      mark.node.setAttribute("data-index", String(index));
    });
  }

  function focusMark(state, index) {
    var marks = state.marks;
    if (!marks.length) {
      return;
    }
    index = (index + marks.length) % marks.length;
    marks.forEach(function (mark, i) {
      mark.node.setAttribute("tabindex", i === index ? "0" : "-1");
    });
    showMark(state, marks[index]);
    marks[index].node.focus();
  }

  function choose(state, mark) {
    var labels = state.data.labels;
    state.marks.forEach(function (other) {
      other.node.classList.toggle("is-selected", other === mark);
    });
    if (mark.state || mark.county) {
      if (mark.state) {
        // A state on the national map: show its centers, as choosing it in the filters would;
        // the keyboard then goes on from the first of them.
        refocus = true;
        var select = document.getElementById("id_state");
        if (select) {
          select.value = mark.state.code;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      return;
    }
    var point = mark.point;
    var card = state.card;
    card.textContent = "";
    var title = html("p", "map-card__name", null, card);
    var link = html("a", null, point.name, title);
    link.href = state.data.detail_url.replace(state.data.slug_hole, point.slug);
    if (point.paid) {
      html("span", "badge", labels.paid, html("p", null, null, card));
    }
    if (!point.exact) {
      html("p", "map-card__approximate", labels.approximate, card);
    }
    var close = html("button", "button button--secondary map-card__close", labels.close, card);
    close.type = "button";
    close.addEventListener("click", function () {
      card.textContent = "";
      mark.node.classList.remove("is-selected");
      highlight(null);
      mark.node.focus();
    });
    highlight(point.id);
  }

  function highlight(id) {
    Array.prototype.forEach.call(document.querySelectorAll(".card.is-selected"), function (node) {
      node.classList.remove("is-selected");
    });
    var heading = id === null ? null : document.getElementById("center-" + id);
    var listed = heading && heading.closest(".card");
    if (listed) {
      listed.classList.add("is-selected");
      if (!current || !current.panel.contains(document.activeElement) || window.matchMedia("(min-width: 75em)").matches) {
        listed.scrollIntoView({ block: "nearest", behavior: reduceMotion.matches ? "auto" : "smooth" });
      }
    }
  }

  function markOf(state, target) {
    var node = target.closest && target.closest("[data-index]");
    return node ? state.marks[Number(node.getAttribute("data-index"))] : null;
  }

  function bind(state) {
    if (state.panel.getAttribute("data-bound")) {
      return;
    }
    state.panel.setAttribute("data-bound", "1");
    var drag = null;
    state.panel.addEventListener("pointerdown", function (event) {
      if (current && current.zoom > 1 && event.target.closest("#map-canvas svg")) {
        drag = { x: event.clientX, y: event.clientY, centre: current.centre.slice(), moved: false };
      }
    });
    state.panel.addEventListener("pointermove", function (event) {
      if (!drag || !event.buttons) {
        drag = null;
        return;
      }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) {
        drag.moved = true;
      }
      if (drag.moved) {
        var scale = ZOOMED.width / current.zoom / current.canvas.querySelector("svg").getBoundingClientRect().width;
        current.centre = [drag.centre[0] - dx * scale, drag.centre[1] - dy * scale];
        applyZoom(current);
      }
    });
    state.panel.addEventListener("pointerup", function () {
      if (drag && drag.moved) {
        // The click that ends a drag is not a choice.
        state.panel.addEventListener("click", function swallow(event) {
          event.stopPropagation();
          state.panel.removeEventListener("click", swallow, true);
        }, true);
      }
      drag = null;
    });
    state.panel.addEventListener("click", function (event) {
      var zoom = event.target.closest && event.target.closest("[data-zoom-by]");
      if (zoom && current) {
        var factor = Number(zoom.getAttribute("data-zoom-by"));
        if (factor) {
          zoomBy(current, factor);
        } else {
          current.zoom = 1;
          applyZoom(current);
        }
        return;
      }
      var mark = current && markOf(current, event.target);
      if (mark) {
        choose(current, mark);
      }
    });
    state.panel.addEventListener("keydown", function (event) {
      var mark = current && markOf(current, event.target);
      if (!mark) {
        return;
      }
      var index = current.marks.indexOf(mark);
      var moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      if (event.key in moves) {
        focusMark(current, index + moves[event.key]);
      } else if (event.key === "Home") {
        focusMark(current, 0);
      } else if (event.key === "End") {
        focusMark(current, current.marks.length - 1);
      } else if (event.key === "Enter" || event.key === " ") {
        choose(current, mark);
      } else if (event.key === "Escape") {
        current.card.textContent = "";
        highlight(null);
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  // --- one map -----------------------------------------------------------------------------------

  function render(panel, data, atlas) {
    var labels = data.labels;
    var state = {
      panel: panel,
      data: data,
      canvas: panel.querySelector("#map-canvas"),
      legend: panel.querySelector("#map-legend"),
      card: panel.querySelector("#map-card"),
      marks: [],
    };
    state.legend.textContent = "";
    state.card.textContent = "";
    var status;
    var tableBody = panel.querySelector("#map-table-body");
    tableBody.textContent = "";
    if (data.view === "points") {
      setMarks(state, drawPoints(state, atlas));
      status = fill(labels.status_points, { centers: centers(labels, state.marks.length) });
      var approximate = state.marks.filter(function (m) { return !m.point.exact; }).length;
      if (approximate) {
        status += " " + fill(labels.status_approximate, { count: number(approximate) });
      }
      var missing = data.total - state.marks.length;
      if (missing > 0) {
        status += " " + fill(labels.status_unplaced, { count: number(missing) });
      }
    } else if (data.view === "counties") {
      setMarks(state, drawCounties(state, atlas));
      status = fill(labels.status_counties, { centers: centers(labels, data.total), limit: number(data.limit) });
      table(tableBody, labels, labels.table_county, data.counties.map(function (entry) {
        return { name: entry.name || labels.unknown_county, count: entry.count };
      }));
    } else {
      setMarks(state, drawStates(state, atlas));
      status = fill(data.near ? labels.status_wide : labels.status_states, {
        centers: centers(labels, data.total), limit: number(data.limit),
      });
    }
    table(tableBody, labels, labels.table_state, data.states);
    var drawn = {};
    stateFeatures(atlas).forEach(function (f) { drawn[f.id] = true; });
    var outside = data.states.filter(function (entry) {
      return !entry.fips || ["60", "66", "69"].indexOf(entry.fips) >= 0 || (data.view === "states" && !drawn[entry.fips]);
    });
    panel.querySelector("#map-note").textContent = outside.length
      ? fill(labels.not_drawn, {
          places: outside.map(function (entry) { return entry.name + " (" + number(entry.count) + ")"; }).join(", "),
        })
      : "";
    panel.querySelector("#map-status").textContent = status;
    panel.setAttribute("data-view", data.view);
    state.zoom = 1;
    state.centre = [ZOOMED.width / 2, ZOOMED.height / 2];
    var zoomBar = panel.querySelector("#map-zoom");
    if (zoomBar) {
      zoomBar.hidden = data.view === "states";
    }
    panel.removeAttribute("data-zoom");
    bind(state);
    current = state;
    if (refocus && state.marks.length) {
      refocus = false;
      focusMark(state, 0);
    }
  }

  function update(panel, search) {
    // The page number does not change the map: leave it out, so pages share one copy.
    var params = new URLSearchParams(search || "");
    params.delete("page");
    var query = params.toString();
    var url = panel.getAttribute("data-map-url") + (query ? "?" + query : "");
    if (request) {
      request.abort();
    }
    request = new AbortController();
    panel.setAttribute("aria-busy", "true");
    return Promise.all([
      fetch(url, { signal: request.signal, credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      }),
      getJSON(panel.getAttribute("data-states-url")),
    ]).then(function (loaded) {
      render(panel, loaded[0], loaded[1]);
      panel.removeAttribute("aria-busy");
    }, function (error) {
      if (error && error.name === "AbortError") {
        return;
      }
      panel.removeAttribute("aria-busy");
      var status = panel.querySelector("#map-status");
      status.textContent = status.getAttribute("data-failed");
    });
  }

  var lastSearch = null;

  window.directoryMap = {
    show: function (panel) {
      lastSearch = window.location.search;
      return update(panel, lastSearch);
    },
    refresh: function (search) {
      var panel = document.getElementById("map-panel");
      if (!panel || panel.hidden) {
        return;
      }
      lastSearch = search === undefined ? window.location.search : search;
      update(panel, lastSearch);
    },
  };
})();
