import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, type ChartConfiguration, Legend, LinearScale, Tooltip } from 'chart.js';
import { api, CAN, hasAnyRole, PostureReport, Principal } from '../api';
import { ErrorNotice, Loading, Section } from '../components';
import { percent } from '../format';
import { useLoad } from '../hooks';
import { NotAllowed, PageHeading } from './PageHeading';

// Only the parts of Chart.js the three bar charts use, so the bundle stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLORS = { primary: '#1d4ed8', secondary: '#0f766e', warn: '#b45309', bad: '#b91c1c' };
const AGE_BAND_LABELS: Record<string, string> = {
  'under-1d': 'under 1 day',
  '1d-7d': '1–7 days',
  '7d-30d': '7–30 days',
  'over-30d': 'over 30 days',
};
const toPercent = (share: number | null) => (share === null ? 0 : Math.round(share * 1000) / 10);

/** A Chart.js bar chart on a canvas; the same numbers are in the table next to it for screen readers. */
function BarChart({ label, config }: { label: string; config: ChartConfiguration<'bar'> }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const chart = new Chart(canvas.current!, {
      ...config,
      options: { animation: reduceMotion ? false : { duration: 300 }, maintainAspectRatio: false, ...config.options },
    });
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

function percentAxis(title: string) {
  return { x: { min: 0, max: 100, title: { display: true, text: title } } };
}

export function Posture({ principal }: { principal: Principal }) {
  const allowed = hasAnyRole(principal, CAN.readPosture);
  const posture = useLoad(() => (allowed ? api<PostureReport>('/v1/posture') : Promise.resolve(undefined)), [allowed]);
  if (!allowed) return <NotAllowed what="reading the estate's posture" />;
  const report = posture.data;

  return (
    <>
      <PageHeading>Posture</PageHeading>
      <ErrorNotice error={posture.error} what="load the posture" />
      {posture.loading && !report && <Loading what="the posture" />}
      {report && <PostureCharts report={report} />}
    </>
  );
}

function PostureCharts({ report }: { report: PostureReport }) {
  const { estate, applications, openReviews } = report;
  const rows = [
    { name: 'whole estate', shares: estate.subjects },
    ...applications.map((application) => ({ name: application.applicationId, shares: application.subjects })),
  ];
  const ranked = [...applications].sort((a, b) => (b.fallbackRate ?? -1) - (a.fallbackRate ?? -1));
  const bands = Object.keys(openReviews.byAge);

  const coverage: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.name),
      datasets: [
        { label: 'passwordless %', data: rows.map((row) => toPercent(row.shares.passwordlessShare)), backgroundColor: COLORS.primary },
        {
          label: 'phishing-resistant capable %',
          data: rows.map((row) => toPercent(row.shares.phishingResistantCapableShare)),
          backgroundColor: COLORS.secondary,
        },
      ],
    },
    options: { indexAxis: 'y', scales: percentAxis('% of subjects') },
  };
  const fallbacks: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: ranked.map((application) => application.applicationId),
      datasets: [
        { label: 'fallback rate %', data: ranked.map((application) => toPercent(application.fallbackRate)), backgroundColor: COLORS.warn },
      ],
    },
    options: { indexAxis: 'y', scales: percentAxis('% of sign-ins that fell back'), plugins: { legend: { display: false } } },
  };
  const ages: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: bands.map((band) => AGE_BAND_LABELS[band] ?? band),
      datasets: [{ label: 'open cases', data: bands.map((band) => openReviews.byAge[band]), backgroundColor: COLORS.bad }],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'open cases' } } },
      plugins: { legend: { display: false } },
    },
  };

  return (
    <>
      <dl className="kpis">
        <div>
          <dt>Subjects</dt>
          <dd>{estate.subjects.subjects}</dd>
        </div>
        <div>
          <dt>Passwordless</dt>
          <dd>{percent(estate.subjects.passwordlessShare)}</dd>
        </div>
        <div>
          <dt>Phishing-resistant capable</dt>
          <dd>{percent(estate.subjects.phishingResistantCapableShare)}</dd>
        </div>
        <div>
          <dt>Fallback rate</dt>
          <dd>{percent(estate.fallbackRate)}</dd>
        </div>
        <div>
          <dt>Open cases</dt>
          <dd>{openReviews.open}</dd>
        </div>
      </dl>
      <Section title="Passwordless and phishing-resistant coverage" id="coverage">
        <BarChart label="Passwordless and phishing-resistant coverage, by application" config={coverage} />
        <DataTable
          caption="Coverage by application"
          headers={['Population', 'Passwordless', 'Phishing-resistant capable']}
          rows={rows.map((row) => [row.name, percent(row.shares.passwordlessShare), percent(row.shares.phishingResistantCapableShare)])}
        />
      </Section>
      <Section title="Fallback rate per application" id="fallback-rate">
        <BarChart label="Fallback rate per application, highest first" config={fallbacks} />
        <DataTable
          caption="Fallbacks by application"
          headers={['Application', 'Fallback rate', 'Fallbacks', 'Authentications']}
          rows={ranked.map((application) => [
            application.applicationId,
            percent(application.fallbackRate),
            String(application.fallbacks),
            String(application.authentications),
          ])}
        />
      </Section>
      <Section title="Age of open cases" id="case-age">
        <BarChart label="Open cases by age" config={ages} />
        <DataTable
          caption="Open cases by age"
          headers={['Age', 'Open cases']}
          rows={bands.map((band) => [AGE_BAND_LABELS[band] ?? band, String(openReviews.byAge[band])])}
        />
      </Section>
    </>
  );
}

function DataTable({ caption, headers, rows }: { caption: string; headers: string[]; rows: string[][] }) {
  return (
    <details>
      <summary>Show the numbers</summary>
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([first, ...rest]) => (
            <tr key={first}>
              <th scope="row">{first}</th>
              {rest.map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
