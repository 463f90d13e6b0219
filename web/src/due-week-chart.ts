import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import type { InstanceItem } from './api-types';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const DAY_MS = 86_400_000;

/** The Monday of a date's ISO week, as YYYY-MM-DD (dates are days, so UTC throughout). */
export function weekOf(day: string): string {
  const time = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(time).getUTCDay() + 6) % 7;
  return new Date(time - weekday * DAY_MS).toISOString().slice(0, 10);
}

export interface DueWeeks {
  weeks: string[];
  overdue: number[];
  notYetDue: number[];
  withoutDueDate: number;
}

/** Open instances counted per due week; overdue = due before `asOf` (the API's definition). */
export function dueWeeks(items: InstanceItem[], asOf: string): DueWeeks {
  const counts = new Map<string, { overdue: number; notYetDue: number }>();
  let withoutDueDate = 0;
  for (const item of items) {
    if (item.dueDate === null) {
      withoutDueDate++;
      continue;
    }
    const week = weekOf(item.dueDate);
    const count = counts.get(week) ?? { overdue: 0, notYetDue: 0 };
    if (item.dueDate < asOf) count.overdue++;
    else count.notYetDue++;
    counts.set(week, count);
  }
  const weeks = [...counts.keys()].sort();
  return {
    weeks,
    overdue: weeks.map((week) => counts.get(week)!.overdue),
    notYetDue: weeks.map((week) => counts.get(week)!.notYetDue),
    withoutDueDate,
  };
}

/** One bar per week, the overdue part stacked in red under the rest. */
export class DueWeekChart {
  private chart: Chart<'bar'> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  show(data: DueWeeks): void {
    const labels = data.weeks.map((week) => `week of ${week}`);
    const datasets = [
      { label: 'Overdue', data: data.overdue, backgroundColor: '#b3261e' },
      { label: 'Not yet due', data: data.notYetDue, backgroundColor: '#3b6ea8' },
    ];
    if (this.chart === undefined) {
      this.chart = new Chart(this.canvas, {
        type: 'bar',
        data: { labels, datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          },
        },
      });
      return;
    }
    this.chart.data.labels = labels;
    this.chart.data.datasets = datasets;
    this.chart.update();
  }
}
