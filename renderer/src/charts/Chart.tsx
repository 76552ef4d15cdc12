// Apache ECharts, only the pieces the office uses (bar, line, pie; grid, tooltip, legend), on a canvas. The chart
// resizes with its box and is described for screen readers by the caller's aria-label.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export const PALETTE = ['#0b5cad', '#2d8cf0', '#17803d', '#f0a020', '#b42318', '#7a5af8', '#66727f'];

export function Chart({ option, label, className = 'chart', testId }: { option: EChartsCoreOption; label: string; className?: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animationDuration: 300, textStyle: { fontFamily: 'inherit' }, ...option }, true);
  }, [option]);
  return <div ref={ref} className={className} role="img" aria-label={label} data-testid={testId} />;
}
