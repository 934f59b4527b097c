// Builds region-countries.geojson (not run by the app). Made with:
//   npm install world-atlas@2.0.2 topojson-client@3.1.0 && node build.js [50m|110m]
// Keeps 7 countries; Russia's rings that cross the antimeridian are clipped at 180°E
// (western points snapped to x=180, then thinned) and wholly-western parts dropped,
// so Leaflet draws no line across the world; rounds to 3 decimals.
const fs = require('fs'), path = require('path'), {feature} = require('topojson-client');
const res = process.argv[2] || '50m';
const topo = require(`world-atlas/countries-${res}.json`);
const KEEP = {643: 'Russia', 156: 'China', 496: 'Mongolia', 408: 'North Korea',
              410: 'South Korea', 392: 'Japan', 398: 'Kazakhstan'};
const r = (v) => Math.round(v * 1000) / 1000;
const ring = (c) => c.map(([x, y]) => [x < 0 ? 180 : r(x), r(y)])
  .filter((p, i, a) => p[0] !== 180 || i === 0 || i === a.length - 1 || a[i - 1][0] !== 180 || a[i + 1][0] !== 180)
  .filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
const features = feature(topo, topo.objects.countries).features
  .filter((f) => KEEP[+f.id])
  .map((f) => {
    const g = f.geometry, polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const kept = polys.filter((p) => p[0].some(([x]) => x >= 0))
      .map((p) => p.map(ring).filter((rg) => rg.length >= 4)).filter((p) => p.length);
    return {type: 'Feature', id: +f.id, properties: {name: KEEP[+f.id]},
      geometry: {type: 'MultiPolygon', coordinates: kept}};
  });
fs.writeFileSync(path.join(__dirname, 'region-countries.geojson'),
  JSON.stringify({type: 'FeatureCollection', features}));
console.log(features.length, 'features');
