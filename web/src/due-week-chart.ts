import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import type { DueWeeksAnswer } from './api-types';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** One bar per week, the overdue part stacked in red under the rest. */
export class DueWeekChart {
  private chart: Chart<'bar'> | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  show(answer: DueWeeksAnswer): void {
    const labels = answer.weeks.map(({ week }) => `week of ${week}`);
    const datasets = [
      {
        label: 'Overdue',
        data: answer.weeks.map((w) => w.overdue),
        backgroundColor: '#b3261e',
      },
      {
        label: 'Not yet due',
        data: answer.weeks.map((w) => w.notYetDue),
        backgroundColor: '#3b6ea8',
      },
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
