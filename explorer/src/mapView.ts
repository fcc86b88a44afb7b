// Draws the sonic map on a canvas: every point written straight into an ImageData buffer (a few milliseconds for
// 100,000 points, no GPU needed), then the overlays (paths from the seed, highlighted tracks, genre benders) with the
// 2-d context. Pans with a drag, zooms with the wheel around the cursor, and picks the nearest point on a click.
import { genrePalette, type SonicMapData } from "./sonicMap";

const background = [15, 17, 22] as const;
const gridCells = 128;

export interface Overlay {
  seed?: number;
  /** Recommended points, in rank order. */
  feed: number[];
  benders: number[];
  /** A point to flash (a search result under the pointer). */
  hover?: number;
}

export class MapView {
  readonly colours: [number, number, number][];
  private readonly context: CanvasRenderingContext2D;
  private image?: ImageData;
  private pixels?: Uint32Array;
  private packed: Uint32Array;
  private dimmed: Uint32Array;
  private scale = 1;
  private centreU = 0.5;
  private centreV = 0.5;
  private dirty = true;
  private highlightedGenre: number | undefined;
  private overlay: Overlay = { feed: [], benders: [] };
  private gridStart = new Uint32Array(gridCells * gridCells + 1);
  private gridPoints: Uint32Array;
  /** Points drawn in the last frame (inside the canvas). */
  drawnPoints = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly map: SonicMapData,
    private readonly onPick: (point: number) => void,
  ) {
    const context = canvas.getContext("2d");
    if (!context) throw new Error("this browser has no 2-d canvas");
    this.context = context;
    this.colours = genrePalette(map.genres.length);
    this.packed = new Uint32Array(map.genres.length);
    this.dimmed = new Uint32Array(map.genres.length);
    this.colours.forEach(([r, g, b], i) => {
      this.packed[i] = rgba(r, g, b);
      const mix = (c: number, bg: number) => Math.round(c * 0.22 + bg * 0.78);
      this.dimmed[i] = rgba(mix(r, background[0]), mix(g, background[1]), mix(b, background[2]));
    });
    this.gridPoints = new Uint32Array(map.u.length);
    this.buildGrid();
    this.attach();
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
    const frame = () => {
      if (this.dirty) this.draw();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /** Highlights one genre (others dimmed), or none. */
  setHighlightedGenre(genre: number | undefined): void {
    this.highlightedGenre = genre;
    this.dirty = true;
  }

  get highlighted(): number | undefined {
    return this.highlightedGenre;
  }

  setOverlay(overlay: Partial<Overlay>): void {
    this.overlay = { ...this.overlay, ...overlay };
    this.dirty = true;
  }

  resetView(): void {
    this.centreU = 0.5;
    this.centreV = 0.5;
    this.scale = this.fitScale();
    this.dirty = true;
  }

  /** Where point `p` is drawn, in CSS pixels of the viewport, or null when it is off the canvas. */
  screenPositionOf(p: number): { x: number; y: number } | null {
    const rect = this.canvas.getBoundingClientRect();
    const ratio = this.canvas.width / rect.width;
    const [sx, sy] = this.toScreen(p);
    if (sx < 0 || sy < 0 || sx >= this.canvas.width || sy >= this.canvas.height) return null;
    return { x: rect.left + sx / ratio, y: rect.top + sy / ratio };
  }

  private fitScale(): number {
    return Math.min(this.canvas.width, this.canvas.height) * 0.94;
  }

  private resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (width === this.canvas.width && height === this.canvas.height && this.image) return;
    const fitted = this.image ? this.scale / this.fitScale() : 1;
    this.canvas.width = width;
    this.canvas.height = height;
    this.image = this.context.createImageData(width, height);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.scale = this.fitScale() * fitted;
    this.dirty = true;
  }

  private toScreen(p: number): [number, number] {
    return [
      (this.map.u[p] - this.centreU) * this.scale + this.canvas.width / 2,
      (this.centreV - this.map.v[p]) * this.scale + this.canvas.height / 2,
    ];
  }

  private toWorld(sx: number, sy: number): [number, number] {
    return [
      (sx - this.canvas.width / 2) / this.scale + this.centreU,
      this.centreV - (sy - this.canvas.height / 2) / this.scale,
    ];
  }

  private draw(): void {
    this.dirty = false;
    const { pixels, image } = this;
    if (!pixels || !image) return;
    const width = this.canvas.width;
    const height = this.canvas.height;
    pixels.fill(rgba(background[0], background[1], background[2]));
    const zoom = this.scale / this.fitScale();
    const ratio = window.devicePixelRatio || 1;
    const size = Math.max(2, Math.min(7, Math.round((2 + Math.log2(Math.max(1, zoom)) * 0.9) * ratio)));
    const dimAll = this.overlay.feed.length > 0 || this.overlay.benders.length > 0;
    const genre = this.highlightedGenre;
    const halfWidth = width / 2;
    const halfHeight = height / 2;
    const { u, v, genreOf } = this.map;
    let drawn = 0;
    for (let p = 0; p < u.length; p++) {
      const x = Math.round((u[p] - this.centreU) * this.scale + halfWidth);
      const y = Math.round((this.centreV - v[p]) * this.scale + halfHeight);
      if (x < 0 || y < 0 || x + size > width || y + size > height) continue;
      const g = genreOf[p];
      const colour = genre === undefined ? (dimAll ? this.dimmed[g] : this.packed[g]) : g === genre ? this.packed[g] : this.dimmed[g];
      for (let dy = 0; dy < size; dy++) {
        const row = (y + dy) * width + x;
        for (let dx = 0; dx < size; dx++) pixels[row + dx] = colour;
      }
      drawn++;
    }

    // The highlighted genre once more on top, so it is not hidden under the others.
    if (genre !== undefined) {
      for (let p = 0; p < u.length; p++) {
        if (genreOf[p] !== genre) continue;
        const x = Math.round((u[p] - this.centreU) * this.scale + halfWidth);
        const y = Math.round((this.centreV - v[p]) * this.scale + halfHeight);
        if (x < 0 || y < 0 || x + size > width || y + size > height) continue;
        for (let dy = 0; dy < size; dy++) {
          const row = (y + dy) * width + x;
          for (let dx = 0; dx < size; dx++) pixels[row + dx] = this.packed[genre];
        }
      }
    }

    this.drawnPoints = drawn;
    this.canvas.dataset.drawnPoints = String(drawn);
    this.context.putImageData(image, 0, 0);
    this.drawOverlay(ratio);
  }

  private drawOverlay(ratio: number): void {
    const c = this.context;
    const { seed, feed, benders, hover } = this.overlay;
    c.save();
    c.lineWidth = 1.5 * ratio;
    for (const p of benders) {
      const [x, y] = this.toScreen(p);
      c.strokeStyle = "rgba(255, 214, 10, 0.95)";
      c.beginPath();
      c.arc(x, y, 6 * ratio, 0, Math.PI * 2);
      c.stroke();
    }

    if (seed !== undefined) {
      const [sx, sy] = this.toScreen(seed);
      // The path from the seed to each recommendation: a line per row, stronger for the better ranks.
      feed.forEach((p, rank) => {
        const [x, y] = this.toScreen(p);
        c.strokeStyle = `rgba(255, 255, 255, ${Math.max(0.25, 0.85 - rank * 0.02)})`;
        c.beginPath();
        c.moveTo(sx, sy);
        c.lineTo(x, y);
        c.stroke();
      });
      feed.forEach((p, rank) => {
        const [x, y] = this.toScreen(p);
        const [r, g, b] = this.colours[this.map.genreOf[p]];
        c.fillStyle = `rgb(${r}, ${g}, ${b})`;
        c.strokeStyle = "#fff";
        c.beginPath();
        c.arc(x, y, 5 * ratio, 0, Math.PI * 2);
        c.fill();
        c.stroke();
        if (rank < 20) {
          c.fillStyle = "#fff";
          c.font = `${11 * ratio}px system-ui, sans-serif`;
          c.fillText(String(rank + 1), x + 7 * ratio, y - 5 * ratio);
        }
      });
      c.fillStyle = "#fff";
      c.strokeStyle = "#000";
      c.lineWidth = 2 * ratio;
      star(c, sx, sy, 9 * ratio);
    }

    if (hover !== undefined) {
      const [x, y] = this.toScreen(hover);
      c.strokeStyle = "#fff";
      c.lineWidth = 2 * ratio;
      c.beginPath();
      c.arc(x, y, 10 * ratio, 0, Math.PI * 2);
      c.stroke();
    }

    c.restore();
  }

  private buildGrid(): void {
    const { u, v } = this.map;
    const cellOf = (p: number) =>
      Math.min(gridCells - 1, Math.floor(v[p] * gridCells)) * gridCells + Math.min(gridCells - 1, Math.floor(u[p] * gridCells));
    const counts = new Uint32Array(gridCells * gridCells);
    for (let p = 0; p < u.length; p++) counts[cellOf(p)]++;
    for (let cell = 0; cell < counts.length; cell++) this.gridStart[cell + 1] = this.gridStart[cell] + counts[cell];
    const fill = this.gridStart.slice(0, counts.length);
    for (let p = 0; p < u.length; p++) this.gridPoints[fill[cellOf(p)]++] = p;
  }

  /** The point nearest to a canvas pixel, within `radius` pixels, or undefined. */
  private pick(sx: number, sy: number, radius: number): number | undefined {
    const [wu, wv] = this.toWorld(sx, sy);
    const reach = radius / this.scale;
    const lowU = Math.max(0, Math.floor((wu - reach) * gridCells));
    const highU = Math.min(gridCells - 1, Math.floor((wu + reach) * gridCells));
    const lowV = Math.max(0, Math.floor((wv - reach) * gridCells));
    const highV = Math.min(gridCells - 1, Math.floor((wv + reach) * gridCells));
    let best: number | undefined;
    let bestDistance = reach * reach;
    for (let cv = lowV; cv <= highV; cv++) {
      for (let cu = lowU; cu <= highU; cu++) {
        const cell = cv * gridCells + cu;
        for (let i = this.gridStart[cell]; i < this.gridStart[cell + 1]; i++) {
          const p = this.gridPoints[i];
          const du = this.map.u[p] - wu;
          const dv = this.map.v[p] - wv;
          const distance = du * du + dv * dv;
          if (distance <= bestDistance) {
            bestDistance = distance;
            best = p;
          }
        }
      }
    }

    return best;
  }

  private attach(): void {
    const canvas = this.canvas;
    const ratio = () => canvas.width / canvas.getBoundingClientRect().width;
    let drag: { x: number; y: number; moved: boolean } | undefined;
    canvas.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, moved: false };
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.centreU -= (dx * ratio()) / this.scale;
      this.centreV += (dy * ratio()) / this.scale;
      drag.x = event.clientX;
      drag.y = event.clientY;
      this.dirty = true;
    });
    canvas.addEventListener("pointerup", (event) => {
      const wasClick = drag && !drag.moved;
      drag = undefined;
      if (!wasClick) return;
      const rect = canvas.getBoundingClientRect();
      const point = this.pick((event.clientX - rect.left) * ratio(), (event.clientY - rect.top) * ratio(), 8 * ratio());
      if (point !== undefined) this.onPick(point);
    });
    canvas.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const rect = canvas.getBoundingClientRect();
        const sx = (event.clientX - rect.left) * ratio();
        const sy = (event.clientY - rect.top) * ratio();
        const [wu, wv] = this.toWorld(sx, sy);
        const factor = Math.exp(-event.deltaY * 0.0015);
        this.scale = Math.min(this.fitScale() * 400, Math.max(this.fitScale() * 0.5, this.scale * factor));
        // Keep the world point under the cursor where it was.
        this.centreU = wu - (sx - canvas.width / 2) / this.scale;
        this.centreV = wv + (sy - canvas.height / 2) / this.scale;
        this.dirty = true;
      },
      { passive: false },
    );
  }
}

function rgba(r: number, g: number, b: number): number {
  // ImageData is RGBA in memory; a little-endian Uint32 view reads it as ABGR.
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function star(c: CanvasRenderingContext2D, x: number, y: number, radius: number): void {
  c.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radius : radius * 0.45;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    c.lineTo(x + r * Math.cos(angle), y + r * Math.sin(angle));
  }
  c.closePath();
  c.stroke();
  c.fill();
}
