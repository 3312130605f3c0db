# Every third-party library comes from Debian 12 packages installed by
# scripts/install-deps.sh. Their headers are SYSTEM so -Werror stays ours.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system)
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# libcurl (libcurl4-openssl-dev): webhooks out (src/notify).
find_package(CURL REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# libcurl (Debian libcurl4-openssl-dev): files/add fetches by URL (core/media_fetcher_curl.cc).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
find_library(PHONENUMBER_LIB phonenumber REQUIRED)
find_path(PHONENUMBER_INCLUDE phonenumbers/phonenumberutil.h REQUIRED)
add_library(bramka_phonenumber INTERFACE)
target_link_libraries(bramka_phonenumber INTERFACE ${PHONENUMBER_LIB})
target_include_directories(bramka_phonenumber SYSTEM INTERFACE ${PHONENUMBER_INCLUDE})
if(BRAMKA_BENCH)
  find_package(benchmark REQUIRED)
endif()

# Boost.Asio and Boost.Beast are compiled once, in src/common/asio_impl.cc.
add_library(bramka_asio_defs INTERFACE)
target_compile_definitions(bramka_asio_defs INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
# Boost 1.74's awaitable.hpp uses std::exchange without <utility>.
target_compile_options(bramka_asio_defs INTERFACE -include utility)
target_link_libraries(bramka_asio_defs INTERFACE Boost::headers Boost::system
  OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

# ---- SQL API (src/ingest/sql): customers' MariaDB/MySQL (Connector/C) and PostgreSQL (libpq) ----
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

# ---- SOAP (src/api/soap): pugixml (libpugixml-dev), which never expands entities ----
find_package(pugixml REQUIRED)
