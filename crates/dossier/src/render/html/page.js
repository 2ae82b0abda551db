"use strict";
(function () {
  var index = JSON.parse(document.getElementById("index").textContent);
  var items = document.querySelectorAll("#list li");
  var sections = document.querySelectorAll("main > section.story");
  var field = function (id) { return document.getElementById(id); };
  var outlet = field("outlet"), names = field("entities");
  index.outlets.map(function (name, i) { return [name, i]; })
    .sort(function (a, b) { return a[0].localeCompare(b[0]); })
    .forEach(function (pair) {
      var option = document.createElement("option");
      option.value = String(pair[1]);
      option.textContent = pair[0];
      outlet.appendChild(option);
    });
  index.entities.forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    names.appendChild(option);
  });
  var entityIds = {};
  index.entities.forEach(function (name, i) {
    var key = name.toLowerCase();
    (entityIds[key] = entityIds[key] || []).push(i);
  });

  function matches(story, want) {
    for (var w = 0; w < want.words.length; w++) {
      if (story.text.indexOf(" " + want.words[w]) < 0) return false;
    }
    if (want.from && (!story.to || story.to < want.from)) return false;
    if (want.to && (!story.from || story.from > want.to)) return false;
    if (want.outlet !== "" && story.outlets.indexOf(Number(want.outlet)) < 0) return false;
    if (want.entity !== null && !want.entity.some(function (e) { return story.entities.indexOf(e) >= 0; })) return false;
    if (want.status && story.statuses.indexOf(want.status) < 0) return false;
    return true;
  }

  function update() {
    var name = field("entity").value.trim().toLowerCase();
    var want = {
      words: field("q").value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean),
      from: field("from").value, to: field("to").value,
      outlet: outlet.value, status: field("status").value,
      entity: name ? (entityIds[name] || []) : null
    };
    var shown = 0;
    index.stories.forEach(function (story, n) {
      var hit = matches(story, want);
      items[n].hidden = !hit;
      if (sections[n]) sections[n].hidden = !hit;
      if (hit) shown++;
    });
    field("shown").textContent = shown === index.stories.length
      ? shown + (shown === 1 ? " story" : " stories")
      : shown + " of " + index.stories.length + " stories";
  }

  // A link may carry a search: index.html?q=fire&status=contested.
  var given = new URLSearchParams(location.search);
  ["q", "from", "to", "outlet", "entity", "status"].forEach(function (id) {
    if (given.has(id)) field(id).value = given.get(id);
  });
  var form = document.getElementById("find");
  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  update();

  // "Also in N other stories" under a name: the list, narrowed to that name.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-entity]");
    if (!link) return;
    form.reset();
    field("entity").value = link.getAttribute("data-entity");
    update();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-export]");
    if (!button) return;
    var story = button.closest("section.story");
    var format = button.getAttribute("data-export");
    unpack(JSON.parse(story.querySelector("script.export").textContent)).then(function (text) {
      var data = JSON.parse(text);
      var link = document.createElement("a");
      link.href = "data:" + (format === "md" ? "text/markdown" : "text/csv") +
        ";charset=utf-8," + encodeURIComponent(data[format]);
      link.download = data.name + "." + format;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });

  // The exports are gzipped and in base64 (see render_export).
  function unpack(base64) {
    var binary = atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
})();
