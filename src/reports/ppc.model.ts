/** One figure of the report: the page and the CSV both list these rows, so they cannot disagree. */
export interface PpcFigure {
  section: string;
  item: string;
  value: number;
}

/** The incident as the campaign definition states it (no personal data: the company's own words). */
export interface PpcIncident {
  companyName: string;
  title: string;
  summary: string;
  leakedItems: string[];
  leakedNotes: string[];
  contactCentre: { name: string; freeDial: string; hours: string; period?: string };
  deadline: string;
}

export interface PpcReport {
  campaign: { id: string; slug: string; companyName: string };
  /** The day the figures stand at, end of day in Japan ('YYYY-MM-DD'). */
  asOfDay: string;
  incident: PpcIncident;
  figures: PpcFigure[];
}
