/** PEP 503 normalisation: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalizeDistributionName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// Distributions whose import name differs from their (normalised) name. Keys are PEP 503 normalised.
const KNOWN_IMPORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  pyyaml: ['yaml', '_yaml'],
  pillow: ['PIL'],
  beautifulsoup4: ['bs4'],
  'scikit-learn': ['sklearn'],
  'scikit-image': ['skimage'],
  'opencv-python': ['cv2'],
  'opencv-python-headless': ['cv2'],
  'opencv-contrib-python': ['cv2'],
  'opencv-contrib-python-headless': ['cv2'],
  'python-dateutil': ['dateutil'],
  protobuf: ['google'],
  attrs: ['attr', 'attrs'],
  pyjwt: ['jwt'],
  mysqlclient: ['MySQLdb'],
  'psycopg2-binary': ['psycopg2'],
  'psycopg-binary': ['psycopg'],
  pyserial: ['serial'],
  pyusb: ['usb'],
  'python-dotenv': ['dotenv'],
  djangorestframework: ['rest_framework'],
  pycryptodome: ['Crypto'],
  pycryptodomex: ['Cryptodome'],
  pycrypto: ['Crypto'],
  setuptools: ['setuptools', 'pkg_resources', '_distutils_hack', 'distutils'],
  'msgpack-python': ['msgpack'],
  pyopenssl: ['OpenSSL'],
  'python-magic': ['magic'],
  'python-jose': ['jose'],
  'google-api-python-client': ['googleapiclient', 'apiclient'],
  'faiss-cpu': ['faiss'],
  'faiss-gpu': ['faiss'],
  'tensorflow-gpu': ['tensorflow'],
  'tensorflow-cpu': ['tensorflow'],
  pytest: ['pytest', '_pytest', 'py'],
  pywin32: ['win32api', 'win32con', 'win32file', 'win32event', 'win32process', 'pywintypes', 'pythoncom', 'win32com'],
  dnspython: ['dns'],
  'websocket-client': ['websocket'],
  pyzmq: ['zmq'],
  'python-multipart': ['multipart', 'python_multipart'],
  'python-socketio': ['socketio'],
  'python-engineio': ['engineio'],
  'ruamel-yaml': ['ruamel'],
  'discord-py': ['discord'],
  'paho-mqtt': ['paho'],
  grpcio: ['grpc'],
  'grpcio-tools': ['grpc_tools'],
  'grpcio-status': ['grpc_status'],
  ipython: ['IPython'],
  pygobject: ['gi'],
  pycairo: ['cairo'],
  'python-ldap': ['ldap', 'ldapurl', 'ldif'],
  twisted: ['twisted'],
  gitpython: ['git'],
  pygithub: ['github'],
  pyinstaller: ['PyInstaller'],
  'python-levenshtein': ['Levenshtein'],
  levenshtein: ['Levenshtein'],
  pyqt5: ['PyQt5'],
  pyqt6: ['PyQt6'],
  pyside2: ['PySide2'],
  pyside6: ['PySide6'],
  wxpython: ['wx'],
  pysocks: ['socks', 'sockshandler'],
  'python-snappy': ['snappy'],
  'argon2-cffi': ['argon2'],
  pynacl: ['nacl'],
  cffi: ['cffi', '_cffi_backend'],
  pywavelets: ['pywt'],
  'rpds-py': ['rpds'],
  'pyobjc-core': ['objc', 'PyObjCTools'],
  'pyobjc-framework-cocoa': ['Foundation', 'AppKit', 'Cocoa', 'CoreFoundation'],
  'typing-extensions': ['typing_extensions'],
  'importlib-metadata': ['importlib_metadata'],
  'python-json-logger': ['pythonjsonlogger'],
  'python-slugify': ['slugify'],
  'python-telegram-bot': ['telegram'],
  'sentry-sdk': ['sentry_sdk'],
  'huggingface-hub': ['huggingface_hub'],
  'jack-client': ['jack'],
  pyhamcrest: ['hamcrest'],
  pymupdf: ['fitz', 'pymupdf'],
  'python-docx': ['docx'],
  'python-pptx': ['pptx'],
  'pdfminer-six': ['pdfminer'],
  qrcode: ['qrcode'],
  'docker-py': ['docker'],
  'azure-storage-blob': ['azure'],
  'zope-interface': ['zope'],
  'ua-parser': ['ua_parser'],
  'markdown-it-py': ['markdown_it'],
  'mdit-py-plugins': ['mdit_py_plugins'],
  fonttools: ['fontTools'],
  'pyproject-hooks': ['pyproject_hooks'],
  'lxml-stubs': ['lxml'],
  'google-cloud-storage': ['google'],
  'tomli-w': ['tomli_w'],
  'eth-hash': ['eth_hash'],
  'pyasn1-modules': ['pyasn1_modules'],
  'jaraco-functools': ['jaraco'],
  'backports-zoneinfo': ['backports'],
  uvicorn: ['uvicorn'],
  pyreadline3: ['pyreadline3', 'readline'],
  pygments: ['pygments'],
  'python-gnupg': ['gnupg'],
  'scikit-build': ['skbuild'],
  pycodestyle: ['pycodestyle'],
};

/**
 * Import names a declared distribution may provide: the table above, the name with `-` -> `_`, the name without a
 * `python-`/`py-` prefix or `-python`/`-py` suffix, every suffix of a dashed name (`google-apitools` -> `apitools`) and
 * its first segment (namespace packages such as `google-auth` -> `google`, plugins such as `flask-cors` -> `flask`). Generous on purpose: an extra name can only
 * hide a hallucination, a missing one raises a false alarm.
 */
export function importNamesForDistribution(name: string): readonly string[] {
  const normalized = normalizeDistributionName(name);
  const names = new Set<string>(KNOWN_IMPORT_NAMES[normalized] ?? []);
  const underscored = normalized.replace(/-/g, '_');
  names.add(underscored);
  names.add(name.replace(/[-.]/g, '_'));
  const stripped = normalized.replace(/^(?:python|py)-/, '').replace(/-(?:python|py|binary|stubs)$/, '');
  names.add(stripped.replace(/-/g, '_'));
  if (normalized.startsWith('types-')) names.add(normalized.slice('types-'.length).replace(/-/g, '_'));
  // Every suffix and the first segment: google-apitools -> apitools, google-auth -> google, flask-cors -> flask.
  const segments = normalized.split('-');
  for (let start = 1; start < segments.length; start += 1) names.add(segments.slice(start).join('_'));
  const firstSegment = segments[0];
  if (firstSegment !== undefined && firstSegment.length > 1) names.add(firstSegment);
  return [...names];
}
