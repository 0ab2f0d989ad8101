/** The English dictionary defines the keys; every other language must have the same ones. */
export const en = {
  'app.name': 'Desk',
  'app.skipToContent': 'Skip to content',
  'app.loading': 'Loading…',
  'app.offline': 'You are offline. Showing what this device remembers.',

  'nav.label': 'Main',
  'nav.tickets': 'Tickets',
  'nav.users': 'Users',
  'nav.intents': 'Intents',
  'nav.integrations': 'Integrations',
  'nav.team': 'Team',
  'nav.settings': 'Settings',

  'login.title': 'Sign in to Desk',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.emailRequired': 'Enter your e-mail address.',
  'login.emailInvalid': 'Enter a valid e-mail address.',
  'login.passwordRequired': 'Enter your password.',

  'errors.network': 'Could not reach the server. Check your connection and try again.',
  'errors.unexpected': 'Something went wrong. Please try again.',
  'errors.notAllowedTitle': 'Not allowed',
  'errors.notAllowed': 'Your role does not give access to this page.',
  'errors.notFoundTitle': 'Page not found',
  'errors.notFound': 'There is nothing at this address.',
  'errors.backHome': 'Go to tickets',

  'tickets.empty': 'No tickets yet.',
  'users.empty': 'No users yet.',
  'intents.empty': 'No intents yet.',
  'integrations.empty': 'No integrations yet.',
  'team.empty': 'No team members yet.',

  'settings.language': 'Language',
  'settings.languageHelp': 'The language of this app on this device.',
  'settings.account': 'Account',
  'settings.signedInAs': 'Signed in as {name} ({email})',
  'settings.signOut': 'Sign out',
  'settings.signingOut': 'Signing out…',
  'settings.sound': 'Notification sound',
  'settings.soundSoon': 'Sound settings for new messages will appear here.',

  'update.available': 'A new version is available.',
  'update.reload': 'Reload',
  'update.later': 'Later',
} as const;

export type MessageKey = keyof typeof en;
export type Dictionary = Record<MessageKey, string>;
