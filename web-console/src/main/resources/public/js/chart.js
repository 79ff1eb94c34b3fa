// Time-series charts with uPlot (a WebJar, loaded as a classic script before the modules).
export function lineChart(target, label, color) {
  const width = () => Math.max(260, target.clientWidth - 8);
  const plot = new window.uPlot({
    width: width(), height: 180,
    series: [{}, { label, stroke: color, width: 2, fill: color + '22' }],
    axes: [{}, { size: 50 }],
    legend: { show: true },
  }, [[], []], target);
  const resize = () => plot.setSize({ width: width(), height: 180 });
  window.addEventListener('resize', resize);
  return {
    set(xs, ys) { plot.setData([xs, ys]); },
    destroy() { window.removeEventListener('resize', resize); plot.destroy(); },
  };
}
