import type { Dictionary } from './en.ts';

export const es: Dictionary = {
  'app.name': 'Desk',
  'app.skipToContent': 'Saltar al contenido',
  'app.loading': 'Cargando…',
  'app.offline': 'Estás sin conexión. Se muestra lo que este dispositivo recuerda.',

  'nav.label': 'Principal',
  'nav.tickets': 'Tickets',
  'nav.users': 'Usuarios',
  'nav.intents': 'Intenciones',
  'nav.integrations': 'Integraciones',
  'nav.team': 'Equipo',
  'nav.settings': 'Ajustes',

  'login.title': 'Iniciar sesión en Desk',
  'login.email': 'Correo electrónico',
  'login.password': 'Contraseña',
  'login.submit': 'Iniciar sesión',
  'login.emailRequired': 'Escribe tu correo electrónico.',
  'login.emailInvalid': 'Escribe un correo electrónico válido.',
  'login.passwordRequired': 'Escribe tu contraseña.',

  'errors.network': 'No se pudo contactar con el servidor. Revisa tu conexión e inténtalo de nuevo.',
  'errors.unexpected': 'Algo salió mal. Inténtalo de nuevo.',
  'errors.notAllowedTitle': 'Sin permiso',
  'errors.notAllowed': 'Tu rol no da acceso a esta página.',
  'errors.notFoundTitle': 'Página no encontrada',
  'errors.notFound': 'No hay nada en esta dirección.',
  'errors.backHome': 'Ir a los tickets',

  'tickets.empty': 'Todavía no hay tickets.',
  'users.empty': 'Todavía no hay usuarios.',
  'intents.empty': 'Todavía no hay intenciones.',
  'integrations.empty': 'Todavía no hay integraciones.',
  'team.empty': 'Todavía no hay miembros en el equipo.',

  'settings.language': 'Idioma',
  'settings.languageHelp': 'El idioma de esta app en este dispositivo.',
  'settings.account': 'Cuenta',
  'settings.signedInAs': 'Sesión iniciada como {name} ({email})',
  'settings.signOut': 'Cerrar sesión',
  'settings.signingOut': 'Cerrando sesión…',
  'settings.sound': 'Sonido de notificación',
  'settings.soundSoon': 'Aquí aparecerán las opciones de sonido para mensajes nuevos.',

  'update.available': 'Hay una nueva versión disponible.',
  'update.reload': 'Recargar',
  'update.later': 'Más tarde',
};
