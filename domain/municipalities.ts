/**
 * The 19 municipalities of the Brussels-Capital Region with their Dutch and French names and
 * their postcodes (the City of Brussels has four). Used by the directory's filters, its search
 * and the demo data.
 */
export const BRUSSELS_MUNICIPALITIES = [
  { nl: 'Brussel', fr: 'Bruxelles', postcodes: ['1000', '1020', '1120', '1130'] },
  { nl: 'Schaarbeek', fr: 'Schaerbeek', postcodes: ['1030'] },
  { nl: 'Etterbeek', fr: 'Etterbeek', postcodes: ['1040'] },
  { nl: 'Elsene', fr: 'Ixelles', postcodes: ['1050'] },
  { nl: 'Sint-Gillis', fr: 'Saint-Gilles', postcodes: ['1060'] },
  { nl: 'Anderlecht', fr: 'Anderlecht', postcodes: ['1070'] },
  { nl: 'Sint-Jans-Molenbeek', fr: 'Molenbeek-Saint-Jean', postcodes: ['1080'] },
  { nl: 'Koekelberg', fr: 'Koekelberg', postcodes: ['1081'] },
  { nl: 'Sint-Agatha-Berchem', fr: 'Berchem-Sainte-Agathe', postcodes: ['1082'] },
  { nl: 'Ganshoren', fr: 'Ganshoren', postcodes: ['1083'] },
  { nl: 'Jette', fr: 'Jette', postcodes: ['1090'] },
  { nl: 'Evere', fr: 'Evere', postcodes: ['1140'] },
  { nl: 'Sint-Pieters-Woluwe', fr: 'Woluwe-Saint-Pierre', postcodes: ['1150'] },
  { nl: 'Oudergem', fr: 'Auderghem', postcodes: ['1160'] },
  { nl: 'Watermaal-Bosvoorde', fr: 'Watermael-Boitsfort', postcodes: ['1170'] },
  { nl: 'Ukkel', fr: 'Uccle', postcodes: ['1180'] },
  { nl: 'Vorst', fr: 'Forest', postcodes: ['1190'] },
  { nl: 'Sint-Lambrechts-Woluwe', fr: 'Woluwe-Saint-Lambert', postcodes: ['1200'] },
  { nl: 'Sint-Joost-ten-Node', fr: 'Saint-Josse-ten-Noode', postcodes: ['1210'] },
] as const;

export type BrusselsMunicipality = (typeof BRUSSELS_MUNICIPALITIES)[number];
