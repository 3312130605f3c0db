# operator: the Debian package (`make deb`; docs/operations.md, docs/adr/0018).
# Installs /usr/bin/bramka, the systemd unit and the docs; the maintainer scripts
# in deploy/debian create the bramka user, /etc/bramka/bramka.toml and
# /var/lib/bramka on first install, and remove them on purge.
include(GNUInstallDirs)

if(TARGET bramka)
  install(TARGETS bramka RUNTIME DESTINATION bin COMPONENT bramka)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/deploy/debian/bramka.service
        DESTINATION lib/systemd/system COMPONENT bramka)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/operations.md
              ${PROJECT_SOURCE_DIR}/docs/integration.md
              ${PROJECT_SOURCE_DIR}/deploy/grafana/bramka.json
        DESTINATION share/doc/bramka COMPONENT bramka OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bramka)
set(CPACK_PACKAGE_VENDOR "bramka")
set(CPACK_PACKAGE_CONTACT "bramka operators <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Self-hosted SMS gateway (SerwerSMS.pl API v2, SMPP, FTP, SQL)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
