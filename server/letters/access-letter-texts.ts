// The words of the access letter, in easy-to-read language: Dutch "Klare taal", French "Facile à lire
// et à comprendre" (FALC), plain English. Short sentences, one idea each, numbers as digits, the reader
// addressed directly. French typography: ’ for the apostrophe, a no-break space before ":" and a narrow
// no-break space before "?" and "!". The web app's copy of the same letter is in
// web/src/lib/i18n/{nl,fr,en}/letter.json; keep both in step.

/** The languages a letter is written in. */
export type LetterLocale = 'nl' | 'fr' | 'en';

/** Who receives the letter: the client, or an informal supporter (family, neighbour). */
export type LetterAudience = 'client' | 'supporter';

/** Every text of one language. */
export interface AccessLetterTexts {
  /** The `Intl` locale of the dates. */
  dateLocale: string;
  title: string;
  greeting: (name: string) => string;
  intro: Record<LetterAudience, string>;
  signInNameLabel: string;
  codeLabel: string;
  /** The code works once, until a moment. */
  expiry: (date: string, time: string) => string;
  stepsTitle: string;
  /** Step 1, before the address. */
  stepOpen: string;
  /** Step 1, after the address. */
  stepScan: string;
  stepType: string;
  stepPassword: string;
  afterSteps: string;
  keepSafe: string;
  keepSecret: string;
  helpTitle: string;
  help: (lead: string) => string;
  leadWorksAt: (lead: string, organization: string) => string;
  forgotten: string;
  footer: (date: string, lead: string) => string;
}

/** The letter's texts in each language. */
export const ACCESS_LETTER_TEXTS: Record<LetterLocale, AccessLetterTexts> = {
  nl: {
    dateLocale: 'nl-BE',
    title: 'Jouw toegang tot Liaison',
    greeting: (name) => `Dag ${name},`,
    intro: {
      client:
        'Met deze brief kan je Liaison gebruiken. In Liaison staat jouw plan. Je ziet wie jou helpt. Je ziet ook wat jullie afspreken.',
      supporter:
        'Met deze brief kan je Liaison gebruiken. Je helpt iemand die steun krijgt. In Liaison lees je wat die persoon met jou deelt.',
    },
    signInNameLabel: 'Je gebruikersnaam',
    codeLabel: 'Je code',
    expiry: (date, time) => `De code werkt maar 1 keer. De code werkt tot ${date} om ${time} uur.`,
    stepsTitle: 'Zo begin je',
    stepOpen: 'Ga op je computer of telefoon naar dit adres:',
    stepScan: 'Of scan de QR-code met de camera van je telefoon.',
    stepType: 'Typ je gebruikersnaam en je code.',
    stepPassword:
      'Kies een wachtwoord. Je wachtwoord heeft minstens 10 tekens. Kies een wachtwoord dat je goed kan onthouden.',
    afterSteps: 'Daarna meld je je altijd aan met je gebruikersnaam en je wachtwoord.',
    keepSafe: 'Bewaar deze brief op een veilige plek.',
    keepSecret: 'Geef je code aan niemand.',
    helpTitle: 'Hulp nodig?',
    help: (lead) => `Heb je een vraag? Lukt het niet? Vraag het aan ${lead}.`,
    leadWorksAt: (lead, organization) => `${lead} werkt bij ${organization}.`,
    forgotten: 'Ben je je wachtwoord vergeten? Vraag dan een nieuwe brief.',
    footer: (date, lead) => `Brief gemaakt op ${date} door ${lead}.`,
  },
  fr: {
    dateLocale: 'fr-BE',
    title: 'Votre accès à Liaison',
    greeting: (name) => `Bonjour ${name},`,
    intro: {
      client:
        'Avec cette lettre, vous pouvez utiliser Liaison. Dans Liaison, il y a votre plan. Vous voyez qui vous aide. Vous voyez aussi ce que vous décidez ensemble.',
      supporter:
        'Avec cette lettre, vous pouvez utiliser Liaison. Vous aidez une personne qui reçoit du soutien. Dans Liaison, vous lisez ce que cette personne partage avec vous.',
    },
    signInNameLabel: 'Votre nom d’utilisateur',
    codeLabel: 'Votre code',
    expiry: (date, time) => `Le code marche 1 seule fois. Le code marche jusqu’au ${date} à ${time}.`,
    stepsTitle: 'Comment commencer',
    stepOpen: 'Sur votre ordinateur ou votre téléphone, allez à cette adresse\u00a0:',
    stepScan: 'Ou scannez le code QR avec l’appareil photo de votre téléphone.',
    stepType: 'Tapez votre nom d’utilisateur et votre code.',
    stepPassword:
      'Choisissez un mot de passe. Votre mot de passe a au moins 10 caractères. Choisissez un mot de passe facile à retenir pour vous.',
    afterSteps: 'Ensuite, vous entrez toujours avec votre nom d’utilisateur et votre mot de passe.',
    keepSafe: 'Gardez cette lettre dans un endroit sûr.',
    keepSecret: 'Ne donnez votre code à personne.',
    helpTitle: 'Besoin d’aide\u202f?',
    help: (lead) => `Vous avez une question\u202f? Ça ne marche pas\u202f? Demandez à ${lead}.`,
    // “travaille à/au/chez …” depends on the organisation's name; the colon never does.
    leadWorksAt: (lead, organization) => `${lead} travaille ici\u00a0: ${organization}.`,
    forgotten: 'Vous avez oublié votre mot de passe\u202f? Demandez une nouvelle lettre.',
    footer: (date, lead) => `Lettre faite le ${date} par ${lead}.`,
  },
  en: {
    dateLocale: 'en-GB',
    title: 'Your access to Liaison',
    greeting: (name) => `Hello ${name},`,
    intro: {
      client:
        'With this letter you can use Liaison. Liaison has your plan. You can see who helps you. You can also see what you agree together.',
      supporter:
        'With this letter you can use Liaison. You help someone who gets support. In Liaison you can read what this person shares with you.',
    },
    signInNameLabel: 'Your sign-in name',
    codeLabel: 'Your code',
    expiry: (date, time) => `The code works only 1 time. The code works until ${date} at ${time}.`,
    stepsTitle: 'How to start',
    stepOpen: 'On your computer or phone, go to this address:',
    stepScan: 'Or scan the QR code with the camera of your phone.',
    stepType: 'Type your sign-in name and your code.',
    stepPassword:
      'Choose a password. Your password has at least 10 characters. Choose a password you will remember.',
    afterSteps: 'After that, you always sign in with your sign-in name and your password.',
    keepSafe: 'Keep this letter somewhere safe.',
    keepSecret: 'Do not give your code to anyone.',
    helpTitle: 'Need help?',
    help: (lead) => `Do you have a question? Is something not working? Ask ${lead}.`,
    leadWorksAt: (lead, organization) => `${lead} works at ${organization}.`,
    forgotten: 'Did you forget your password? Ask for a new letter.',
    footer: (date, lead) => `Letter made on ${date} by ${lead}.`,
  },
};
