// MusicDna Explorer: loads the sonic map, draws it, finds tracks, and streams a track's feed into the side panel
// (its rows highlighted on the map with a path from the seed to each), re-running it live as the controls change.
import { describeError, isAbort, musicDna, setApiKey } from "./api";
import { MapView } from "./mapView";
import { loadSonicMap, type SonicMapData } from "./sonicMap";
import type { Recommendation, Track } from "./gen/musicdna/v1/musicdna_pb";

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = element<HTMLParagraphElement>("status");
const mapError = element<HTMLParagraphElement>("map-error");
const legendItems = element<HTMLOListElement>("legend-items");
const searchInput = element<HTMLInputElement>("search-input");
const searchStatus = element<HTMLParagraphElement>("search-status");
const searchResults = element<HTMLOListElement>("search-results");
const feedTitle = element<HTMLHeadingElement>("feed-title");
const feedStatus = element<HTMLParagraphElement>("feed-status");
const feedError = element<HTMLParagraphElement>("feed-error");
const feedRows = element<HTMLOListElement>("feed-rows");
const controls = {
  k: element<HTMLInputElement>("k"),
  diversity: element<HTMLInputElement>("diversity"),
  longTail: element<HTMLInputElement>("long-tail"),
  artistCap: element<HTMLInputElement>("artist-cap"),
  includeGenres: element<HTMLSelectElement>("include-genres"),
  excludeGenres: element<HTMLSelectElement>("exclude-genres"),
  minTempo: element<HTMLInputElement>("min-tempo"),
  maxTempo: element<HTMLInputElement>("max-tempo"),
};
// Attribute targets (docs/steering.md): each slider pulls the feed only while its checkbox is on.
const targets = (["energy", "danceability", "valence", "tempo"] as const).map((name) => ({
  name,
  on: element<HTMLInputElement>(`target-${name}-on`),
  slider: element<HTMLInputElement>(`target-${name}`),
  shown: element<HTMLOutputElement>(`target-${name}-value`),
}));

let map: SonicMapData | undefined;
let view: MapView | undefined;
let seed: { trackId: string; label: string } | undefined;
let feedCall: AbortController | undefined;

/** For automation (the browser tests) and the curious: where a track is drawn, and how many points are. */
declare global {
  interface Window {
    musicDnaExplorer?: { pointCount: number; screenPositionOf(trackId: string): { x: number; y: number } | null };
  }
}

element<HTMLFormElement>("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = element<HTMLInputElement>("api-key").value;
  setApiKey(key);
  sessionStorage.setItem("musicdna-api-key", key);
  void start();
});

// A key entered while the map loads starts another load; only the newest one's outcome is shown.
let mapLoads = 0;

async function start(): Promise<void> {
  const load = ++mapLoads;
  mapError.hidden = true;
  status.textContent = "Loading the sonic map…";
  const started = performance.now();
  try {
    const loadedMap = await loadSonicMap(musicDna);
    if (load !== mapLoads) return;
    map = loadedMap;
  } catch (error) {
    if (load !== mapLoads) return;
    status.textContent = "The sonic map could not be loaded.";
    showError(mapError, describeError(error));
    return;
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  status.textContent =
    `${map.u.length.toLocaleString("en")} tracks · model ${map.modelVersion} · ${map.genres.length} genres · ` +
    `${(map.bytes / 1e6).toFixed(2)} MB in ${seconds} s`;
  status.dataset.pointCount = String(map.u.length);
  const loaded = map;
  if (view) {
    // A key change reloads the map: start over with a fresh canvas.
    const old = element<HTMLCanvasElement>("map");
    const fresh = old.cloneNode() as HTMLCanvasElement;
    old.replaceWith(fresh);
  }
  view = new MapView(element<HTMLCanvasElement>("map"), loaded, (point) =>
    selectSeed({ trackId: loaded.trackIds[point], label: `track ${loaded.trackIds[point]} (${loaded.genres[loaded.genreOf[point]] || "no genre"})` }),
  );
  window.musicDnaExplorer = {
    pointCount: loaded.u.length,
    screenPositionOf: (trackId) => {
      const p = loaded.indexOf.get(trackId);
      return p === undefined || !view ? null : view.screenPositionOf(p);
    },
  };
  buildLegend(loaded, view);
  fillGenreSelect(controls.includeGenres, loaded);
  fillGenreSelect(controls.excludeGenres, loaded);
  document.body.dataset.ready = "true";
}

function buildLegend(loaded: SonicMapData, mapView: MapView): void {
  legendItems.replaceChildren();
  const order = [...loaded.genres.keys()].sort((a, b) => loaded.genreCounts[b] - loaded.genreCounts[a]);
  for (const g of order) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    const [r, gr, b] = mapView.colours[g];
    swatch.style.background = `rgb(${r}, ${gr}, ${b})`;
    button.append(swatch, `${loaded.genres[g] || "(no genre)"} `);
    const count = document.createElement("small");
    count.textContent = loaded.genreCounts[g].toLocaleString("en");
    button.append(count);
    button.addEventListener("click", () => {
      const next = mapView.highlighted === g ? undefined : g;
      mapView.setHighlightedGenre(next);
      for (const other of legendItems.querySelectorAll("button")) other.classList.remove("active");
      if (next !== undefined) button.classList.add("active");
    });
    item.append(button);
    legendItems.append(item);
  }
}

function fillGenreSelect(select: HTMLSelectElement, loaded: SonicMapData): void {
  select.replaceChildren(
    ...[...loaded.genres].filter((g) => g).sort().map((g) => new Option(g, g)),
  );
}

// Search: a call per pause in typing; the newest answer wins.
let searchTimer: number | undefined;
let searchGeneration = 0;
searchInput.addEventListener("input", () => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => void search(searchInput.value), 180);
});

async function search(query: string): Promise<void> {
  const generation = ++searchGeneration;
  if (!query.trim()) {
    searchResults.replaceChildren();
    searchStatus.textContent = "";
    return;
  }

  try {
    const response = await musicDna.searchTracks({ query, limit: 20 });
    if (generation !== searchGeneration) return;
    searchStatus.classList.remove("error");
    searchStatus.textContent =
      response.tracks.length === 0 ? "No track matches." : response.truncated ? "Best 20 matches (more match: add a word)." : "";
    searchResults.replaceChildren(...response.tracks.map(searchResult));
  } catch (error) {
    if (generation !== searchGeneration) return;
    searchResults.replaceChildren();
    searchStatus.classList.add("error");
    searchStatus.textContent = describeError(error);
  }
}

function searchResult(track: Track): HTMLLIElement {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.trackId = track.trackId;
  button.append(trackLabel(track));
  const point = map?.indexOf.get(track.trackId);
  button.addEventListener("pointerenter", () => view?.setOverlay({ hover: point }));
  button.addEventListener("pointerleave", () => view?.setOverlay({ hover: undefined }));
  button.addEventListener("click", () => selectSeed({ trackId: track.trackId, label: `${track.name || "(untitled)"} — ${track.artists.join(", ")}` }));
  item.append(button);
  return item;
}

function trackLabel(track: Track): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const title = document.createElement("strong");
  title.textContent = track.name || "(untitled)";
  const detail = document.createElement("span");
  detail.className = "muted";
  detail.textContent = ` ${track.artists.join(", ")} · ${track.genre || "no genre"}`;
  fragment.append(title, detail);
  return fragment;
}

// Steering: any control change re-runs the feed of the current seed.
for (const control of [...Object.values(controls), ...targets.flatMap((t) => [t.on, t.slider])]) {
  control.addEventListener("input", () => {
    showControlValues();
    if (seed) void runFeed();
  });
}

function showControlValues(): void {
  element<HTMLOutputElement>("k-value").textContent = controls.k.value;
  element<HTMLOutputElement>("diversity-value").textContent = Number(controls.diversity.value).toFixed(2);
  element<HTMLOutputElement>("artist-cap-value").textContent = controls.artistCap.value === "0" ? "no cap" : controls.artistCap.value;
  for (const target of targets) {
    target.slider.disabled = !target.on.checked;
    const value = Number(target.slider.value);
    target.shown.textContent = !target.on.checked ? "off" : target.name === "tempo" ? `${value} BPM` : value.toFixed(2);
  }
}

function selectSeed(next: { trackId: string; label: string }): void {
  seed = next;
  void runFeed();
}

/** The attribute targets and tempo limits set on the page; undefined when none is, so the request stays as before. */
type Attributes = Partial<Record<`target${Capitalize<(typeof targets)[number]["name"]>}` | "minTempo" | "maxTempo", number>>;
function attributes(): Attributes | undefined {
  const set: Attributes = {};
  for (const target of targets) {
    if (target.on.checked) set[`target${capitalize(target.name)}`] = Number(target.slider.value);
  }
  // An empty (or unreadable) box leaves the limit unset; the server judges the rest and the page shows its answer.
  if (controls.minTempo.value !== "") set.minTempo = Number(controls.minTempo.value);
  if (controls.maxTempo.value !== "") set.maxTempo = Number(controls.maxTempo.value);
  return Object.keys(set).length === 0 ? undefined : set;
}

function capitalize<S extends string>(text: S): Capitalize<S> {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}` as Capitalize<S>;
}

function selected(select: HTMLSelectElement): string[] {
  return [...select.selectedOptions].map((option) => option.value);
}

async function runFeed(): Promise<void> {
  if (!seed || !map) return;
  feedCall?.abort();
  const call = new AbortController();
  feedCall = call;
  const loaded = map;
  const seedPoint = loaded.indexOf.get(seed.trackId);
  feedTitle.textContent = `Feed for ${seed.label}`;
  feedError.hidden = true;
  feedStatus.textContent = "Streaming…";
  feedRows.replaceChildren();
  delete feedRows.dataset.complete;
  const points: number[] = [];
  view?.setOverlay({ seed: seedPoint, feed: points, benders: [] });
  const started = performance.now();
  const include = selected(controls.includeGenres);
  const exclude = selected(controls.excludeGenres).filter((g) => !include.includes(g));
  try {
    const stream = musicDna.recommend(
      {
        seed: { case: "trackId", value: seed.trackId },
        k: Number(controls.k.value),
        diversity: Number(controls.diversity.value),
        longTail: controls.longTail.checked,
        maxTracksPerArtist: Number(controls.artistCap.value),
        explain: true,
        filter: { includeGenres: include, excludeGenres: exclude },
        attributes: attributes(),
      },
      { signal: call.signal },
    );
    for await (const message of stream) {
      if (call.signal.aborted) return;
      if (message.result.case === "recommendation") {
        const row = message.result.value;
        feedRows.append(feedRow(row));
        const point = loaded.indexOf.get(row.track?.trackId ?? "");
        if (point !== undefined) points.push(point);
        view?.setOverlay({ feed: points });
      } else if (message.result.case === "end") {
        const end = message.result.value;
        feedStatus.textContent =
          `${end.returned} rows · model ${end.modelVersion} · ${end.candidatesExamined.toLocaleString("en")} tracks examined` +
          `${end.exhausted ? " · nothing more qualifies" : ""} · ${Math.round(performance.now() - started)} ms`;
        feedRows.dataset.complete = "true";
      }
    }
  } catch (error) {
    if (isAbort(error) || call.signal.aborted) return;
    feedStatus.textContent = "";
    showError(feedError, describeError(error));
  }
}

function feedRow(row: Recommendation): HTMLLIElement {
  const item = document.createElement("li");
  item.dataset.rank = String(row.rank);
  item.dataset.trackId = row.track?.trackId ?? "";
  const head = document.createElement("div");
  head.className = "row-head";
  const rank = document.createElement("span");
  rank.className = "rank";
  rank.textContent = String(row.rank);
  const score = document.createElement("span");
  score.className = "score";
  score.title = row.rankingScore !== row.score ? `ranked by ${row.rankingScore.toFixed(3)} (long-tail penalty, attribute targets)` : "cosine similarity to the seed";
  score.textContent = row.score.toFixed(3);
  const label = document.createElement("span");
  label.className = "label";
  if (row.track) label.append(trackLabel(row.track));
  head.append(rank, label, score);
  item.append(head);
  const explanation = row.explanation;
  if (explanation) {
    const why = document.createElement("div");
    why.className = "why";
    const describe = (items: typeof explanation.closest) =>
      items.map((f) => `${f.feature} ${Math.abs(f.difference) < 0.005 ? "±0" : `${f.difference > 0 ? "+" : "−"}${Math.abs(f.difference).toFixed(2)}`}`).join(", ");
    why.textContent = `alike in ${describe(explanation.closest)} · differs in ${describe(explanation.furthest)}`;
    item.append(why);
  }

  item.addEventListener("click", () => {
    if (row.track) selectSeed({ trackId: row.track.trackId, label: `${row.track.name || "(untitled)"} — ${row.track.artists.join(", ")}` });
  });
  return item;
}

element<HTMLButtonElement>("reset-view").addEventListener("click", () => view?.resetView());
element<HTMLButtonElement>("clear-feed").addEventListener("click", () => {
  feedCall?.abort();
  seed = undefined;
  feedRows.replaceChildren();
  feedTitle.textContent = "Click a point on the map or a search result";
  feedStatus.textContent = "";
  feedError.hidden = true;
  view?.setOverlay({ seed: undefined, feed: [], benders: [] });
});
element<HTMLButtonElement>("show-benders").addEventListener("click", async () => {
  if (!map || !view) return;
  const genre = view.highlighted === undefined ? "" : map.genres[view.highlighted];
  status.dataset.benders = "";
  try {
    const response = await musicDna.findGenreBenders({ genre, k: 100, neighbours: 20 });
    const points = response.benders.map((b) => map!.indexOf.get(b.track?.trackId ?? "")).filter((p): p is number => p !== undefined);
    view.setOverlay({ benders: points });
    feedStatus.textContent = `${points.length} genre benders ringed${genre ? ` among ${genre}` : ""} (of ${response.candidates.toLocaleString("en")} candidates).`;
    status.dataset.benders = String(points.length);
  } catch (error) {
    showError(feedError, describeError(error));
  }
});

function showError(target: HTMLElement, text: string): void {
  target.textContent = text;
  target.hidden = false;
}

const storedKey = sessionStorage.getItem("musicdna-api-key");
if (storedKey) {
  element<HTMLInputElement>("api-key").value = storedKey;
  setApiKey(storedKey);
}
showControlValues();
void start();
